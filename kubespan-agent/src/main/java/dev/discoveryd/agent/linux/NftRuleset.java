package dev.discoveryd.agent.linux;

import dev.discoveryd.agent.port.FirewallState;
import dev.discoveryd.nodeclient.format.IpPrefix;

import java.util.List;
import java.util.stream.Collectors;

/**
 * KubeSpan's two chains in {@code inet <table>} as one {@code nft -f} transaction (kubespan-facts.md B8). Each chain
 * is added, flushed, deleted and added again inside the transaction, so the result is exactly these rules whatever
 * was there, other chains of the table stay, and a failure changes nothing. {@code direct} destinations (our
 * {@code directNetworks}) are accepted unmarked ahead of the marking rules, so they never enter the tunnel.
 */
final class NftRuleset {
    static final String PREROUTING = "kubespan_prerouting";
    static final String OUTGOING = "kubespan_outgoing";

    private NftRuleset() {
    }

    static String render(FirewallState s, List<IpPrefix> direct) {
        List<IpPrefix> marked = PrefixSet.minimal(s.markedDestinations());
        List<IpPrefix> directMin = PrefixSet.minimal(direct);
        String t = "inet " + s.table();
        StringBuilder b = new StringBuilder("add table ").append(t).append('\n');
        for (String chain : List.of(PREROUTING, OUTGOING)) {
            b.append("add chain ").append(t).append(' ').append(chain).append('\n');
            b.append("flush chain ").append(t).append(' ').append(chain).append('\n');
            b.append("delete chain ").append(t).append(' ').append(chain).append('\n');
        }
        String markSet = String.format("meta mark set meta mark & 0x%08x ^ 0x%08x accept", ~s.markMask(), s.forceMark());
        String skipOwn = String.format("meta mark & 0x%08x == 0x%08x accept", s.markMask(), s.wireguardMark());

        b.append("add chain ").append(t).append(' ').append(PREROUTING)
                .append(" { type filter hook prerouting priority filter; policy accept; }\n");
        rule(b, t, PREROUTING, skipOwn);
        directRules(b, t, PREROUTING, directMin);
        for (boolean v4 : new boolean[] {true, false}) {
            set(marked, v4).ifPresent(set -> rule(b, t, PREROUTING, daddr(v4) + set + " " + markSet));
        }

        b.append("add chain ").append(t).append(' ').append(OUTGOING)
                .append(" { type route hook output priority filter; policy accept; }\n");
        rule(b, t, OUTGOING, skipOwn);
        rule(b, t, OUTGOING, "oifname \"lo\" accept");
        directRules(b, t, OUTGOING, directMin);
        for (boolean v4 : new boolean[] {true, false}) {
            int mss = v4 ? s.mssV4() : s.mssV6();
            if (mss > 0) {
                set(marked, v4).ifPresent(set -> rule(b, t, OUTGOING, daddr(v4) + set
                        + " tcp flags & (syn | rst) == syn tcp option maxseg size > " + mss
                        + " tcp option maxseg size set " + mss));
            }
        }
        for (boolean v4 : new boolean[] {true, false}) {
            set(marked, v4).ifPresent(set -> rule(b, t, OUTGOING, daddr(v4) + set + " " + markSet));
        }
        return b.toString();
    }

    /** Removes our chains, and the table when nothing else is left in it. */
    static String renderTearDown(String table, boolean tableHasOtherChains) {
        String t = "inet " + table;
        if (!tableHasOtherChains) {
            return "add table " + t + "\ndelete table " + t + "\n";
        }
        StringBuilder b = new StringBuilder("add table ").append(t).append('\n');
        for (String chain : List.of(PREROUTING, OUTGOING)) {
            b.append("add chain ").append(t).append(' ').append(chain).append('\n');
            b.append("flush chain ").append(t).append(' ').append(chain).append('\n');
            b.append("delete chain ").append(t).append(' ').append(chain).append('\n');
        }
        return b.toString();
    }

    private static void directRules(StringBuilder b, String t, String chain, List<IpPrefix> direct) {
        for (boolean v4 : new boolean[] {true, false}) {
            set(direct, v4).ifPresent(set -> rule(b, t, chain, daddr(v4) + set + " accept"));
        }
    }

    private static void rule(StringBuilder b, String t, String chain, String body) {
        b.append("add rule ").append(t).append(' ').append(chain).append(' ').append(body).append('\n');
    }

    private static String daddr(boolean v4) {
        return v4 ? "ip daddr " : "ip6 daddr ";
    }

    private static java.util.Optional<String> set(List<IpPrefix> prefixes, boolean v4) {
        List<IpPrefix> family = prefixes.stream().filter(p -> PrefixSet.isV4(p) == v4).toList();
        if (family.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(family.stream().map(IpPrefix::toString).collect(Collectors.joining(", ", "{ ", " }")));
    }
}
