package dev.discoveryd.agent.linux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.discoveryd.agent.port.FirewallState;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.IpText;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code nft -j list table inet <table>} says KubeSpan's chains do, read back into a {@link FirewallState}
 * (nft rewrites rules: it merges set elements, turns one-element sets into values and {@code ^} into {@code |}),
 * so the adapter compares meaning, not text. {@code problem} names the first thing that does not look like
 * rules we write; such chains are replaced.
 */
record NftInstalled(boolean chainsPresent, boolean otherChains, Optional<FirewallState> state,
                    List<IpPrefix> direct, Optional<String> problem) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static NftInstalled absent(boolean otherChains) {
        return new NftInstalled(false, otherChains, Optional.empty(), List.of(), Optional.empty());
    }

    boolean matches(FirewallState desired, List<IpPrefix> wantDirect) {
        if (state.isEmpty() || problem.isPresent()) {
            return false;
        }
        FirewallState s = state.get();
        return s.table().equals(desired.table()) && s.wireguardMark() == desired.wireguardMark()
                && s.markMask() == desired.markMask() && s.mssV4() == desired.mssV4() && s.mssV6() == desired.mssV6()
                && markFunction(desired.markMask(), desired.forceMark()) == markFunction(s.markMask(), s.forceMark())
                && s.markedDestinations().equals(PrefixSet.minimal(desired.markedDestinations()))
                && direct.equals(PrefixSet.minimal(wantDirect));
    }

    /** A bitwise function is fixed by its values on all-zeros and all-ones; packed into one long to compare. */
    private static long markFunction(int mask, int force) {
        long zero = (0L & ~mask & 0xffffffffL) ^ force;
        long ones = (0xffffffffL & ~mask & 0xffffffffL) ^ force;
        return (zero << 32) | ones;
    }

    static NftInstalled parse(String table, String json) throws IOException {
        JsonNode items = JSON.readTree(json).path("nftables");
        boolean other = false;
        boolean ours = false;
        List<JsonNode> pre = new ArrayList<>();
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode item : items) {
            JsonNode chain = item.path("chain");
            if (!chain.isMissingNode()) {
                String name = chain.path("name").asText();
                boolean mine = name.equals(NftRuleset.PREROUTING) || name.equals(NftRuleset.OUTGOING);
                ours |= mine;
                other |= !mine;
            }
            JsonNode rule = item.path("rule");
            if (!rule.isMissingNode()) {
                String c = rule.path("chain").asText();
                if (c.equals(NftRuleset.PREROUTING)) {
                    pre.add(rule.path("expr"));
                } else if (c.equals(NftRuleset.OUTGOING)) {
                    out.add(rule.path("expr"));
                }
            }
        }
        if (!ours) {
            return absent(other);
        }
        Reader r = new Reader();
        try {
            r.chain(pre, false);
            r.chain(out, true);
            r.check();
            FirewallState s = new FirewallState(table, r.wgMark, r.andToForce(), r.mask, r.marked, r.mss4, r.mss6);
            return new NftInstalled(true, other, Optional.of(s), r.direct, Optional.empty());
        } catch (IllegalArgumentException | IllegalStateException e) {
            return new NftInstalled(true, other, Optional.empty(), List.of(), Optional.of(e.getMessage()));
        }
    }

    /** Walks the rules of both chains in order, collecting what each one does. */
    private static final class Reader {
        int mask = -1;
        int wgMark = -1;
        long andMask = -1;
        long orValue = -1;
        boolean xor;
        List<IpPrefix> marked = new ArrayList<>();
        List<IpPrefix> outMarked = new ArrayList<>();
        List<IpPrefix> direct = new ArrayList<>();
        List<IpPrefix> outDirect = new ArrayList<>();
        int mss4;
        int mss6;

        void chain(List<JsonNode> rules, boolean output) {
            int stage = 0; // 0 skip-own, 1 lo (output only), 2 direct, 3 mss, 4 mark: rules come in this order
            for (JsonNode expr : rules) {
                int kind = kind(expr, output);
                if (kind < stage || (kind == 0 && stage > 0)) {
                    throw new IllegalStateException("rule out of place in " + (output ? "output" : "prerouting")
                            + " chain: " + expr);
                }
                stage = kind;
            }
        }

        private int kind(JsonNode e, boolean output) {
            JsonNode m0 = e.path(0).path("match");
            if (m0.path("left").has("&") && m0.path("left").path("&").path(0).path("meta").path("key").asText().equals("mark")) {
                mask = m0.path("left").path("&").path(1).asInt();
                wgMark = m0.path("right").asInt();
                expectAccept(e, 1);
                return 0;
            }
            if (m0.path("left").path("meta").path("key").asText().equals("oifname")) {
                if (!output || !m0.path("right").asText().equals("lo")) {
                    throw new IllegalStateException("unexpected oifname rule: " + e);
                }
                expectAccept(e, 1);
                return 1;
            }
            String proto = m0.path("left").path("payload").path("protocol").asText();
            if (!m0.path("left").path("payload").path("field").asText().equals("daddr")
                    || !(proto.equals("ip") || proto.equals("ip6"))) {
                throw new IllegalStateException("unexpected rule: " + e);
            }
            List<IpPrefix> dst = elements(m0.path("right"));
            if (e.size() == 2 && e.path(1).has("accept")) {
                (output ? outDirect : direct).addAll(dst);
                return 2;
            }
            if (e.path(1).path("match").path("left").path("&").path(0).path("payload").path("field").asText().equals("flags")) {
                if (!output) {
                    throw new IllegalStateException("MSS clamp in prerouting: " + e);
                }
                int mss = e.path(3).path("mangle").path("value").asInt();
                if (proto.equals("ip")) {
                    mss4 = mss;
                } else {
                    mss6 = mss;
                }
                return 3;
            }
            JsonNode mangle = e.path(1).path("mangle");
            if (mangle.path("key").path("meta").path("key").asText().equals("mark")) {
                JsonNode v = mangle.path("value");
                String op = v.has("|") ? "|" : v.has("^") ? "^" : null;
                if (op == null) {
                    throw new IllegalStateException("unexpected mark expression: " + v);
                }
                andMask = v.path(op).path(0).path("&").path(1).asLong();
                orValue = v.path(op).path(1).asLong();
                xor = op.equals("^");
                expectAccept(e, 2);
                (output ? outMarked : marked).addAll(dst);
                return 4;
            }
            throw new IllegalStateException("unexpected rule: " + e);
        }

        private static void expectAccept(JsonNode e, int index) {
            if (e.size() != index + 1 || !e.path(index).has("accept")) {
                throw new IllegalStateException("rule does not end in accept: " + e);
            }
        }

        private static List<IpPrefix> elements(JsonNode right) {
            List<IpPrefix> out = new ArrayList<>();
            JsonNode items = right.has("set") ? right.path("set") : JSON.createArrayNode().add(right);
            for (JsonNode el : items) {
                if (el.isTextual()) {
                    out.add(IpPrefix.parse(el.asText()));
                } else if (el.has("prefix")) {
                    out.add(new IpPrefix(IpText.parse(el.path("prefix").path("addr").asText()),
                            el.path("prefix").path("len").asInt()));
                } else if (el.has("range")) {
                    out.addAll(PrefixSet.range(IpText.parse(el.path("range").path(0).asText()),
                            IpText.parse(el.path("range").path(1).asText())));
                } else {
                    throw new IllegalStateException("unexpected set element: " + el);
                }
            }
            return out;
        }

        void check() {
            if (mask < 0) {
                throw new IllegalStateException("no rule skipping WireGuard's own packets");
            }
            marked = PrefixSet.minimal(marked);
            direct = PrefixSet.minimal(direct);
            if (!marked.equals(PrefixSet.minimal(outMarked))) {
                throw new IllegalStateException("prerouting and output chains mark different destinations");
            }
            if (!direct.equals(PrefixSet.minimal(outDirect))) {
                throw new IllegalStateException("prerouting and output chains exempt different destinations");
            }
        }

        /** The force mark that, under {@code mask}, gives the same function as nft's (mark & A) op B. */
        int andToForce() {
            if (orValue < 0) {
                return 0; // no marking rule: an empty routed set
            }
            long zero = xor ? orValue : orValue;
            long ones = xor ? ((0xffffffffL & andMask) ^ orValue) : ((0xffffffffL & andMask) | orValue);
            int force = (int) (zero & mask);
            long wantOnes = (0xffffffffL & ~mask & 0xffffffffL) ^ force;
            if (ones != wantOnes || (zero & ~mask & 0xffffffffL) != 0) {
                throw new IllegalStateException("mark expression does not fit mask " + mask);
            }
            return force;
        }
    }
}
