package dev.discoveryd.agent.linux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.discoveryd.agent.port.DataPlaneException;
import dev.discoveryd.agent.port.IpFamily;
import dev.discoveryd.agent.port.Route;
import dev.discoveryd.agent.port.Routing;
import dev.discoveryd.agent.port.RoutingRule;
import dev.discoveryd.agent.port.RoutingState;
import dev.discoveryd.nodeclient.format.IpPrefix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Table 180 and the fwmark rules through {@code ip}, read back with {@code ip -j}. {@code ip rule add} happily adds
 * a second identical rule, so rules are compared with what is installed first: a restart after a crash adopts the
 * rules it finds, removes duplicates and strays, and adds only what is missing.
 */
public final class LinuxRouting implements Routing {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxRouting.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HostCommands cmd;

    public LinuxRouting(HostCommands cmd) {
        this.cmd = cmd;
    }

    @Override
    public void apply(RoutingState desired) throws DataPlaneException {
        try {
            int table = desired.table();
            List<RoutingRule> have = rules(table);
            for (RoutingRule want : desired.rules()) {
                long n = have.stream().filter(want::equals).count();
                if (n == 0) {
                    ip(want.family(), "rule", "add", "fwmark", hex(want.fwmark()) + "/" + hex(want.mask()), "table",
                            String.valueOf(table), "priority", String.valueOf(want.priority()));
                    LOG.info("added rule {}", describe(want));
                }
                for (long extra = n; extra > 1; extra--) {
                    deleteRule(want);
                    LOG.info("removed duplicate rule {}", describe(want));
                }
            }
            for (RoutingRule stray : have) {
                if (!desired.rules().contains(stray)) {
                    deleteRule(stray);
                    LOG.info("removed stray rule {}", describe(stray));
                }
            }
            List<Route> routes = routes(table);
            boolean routesChanged = false;
            for (Route want : desired.routes()) {
                if (!routes.contains(want)) {
                    routesChanged = true;
                    ip(want.family(), "route", "replace", dst(want.destination()), "dev", want.device(), "table",
                            String.valueOf(table), "metric", String.valueOf(want.metric()), "mtu",
                            String.valueOf(want.mtu()), "proto", "static");
                    LOG.info("set route {} dev {} table {}", want.destination(), want.device(), table);
                }
            }
            for (Route stray : routesChanged ? routes(table) : routes) {
                if (!desired.routes().contains(stray)) {
                    ip(stray.family(), "route", "del", dst(stray.destination()), "dev", stray.device(), "table",
                            String.valueOf(table), "metric", String.valueOf(stray.metric()));
                    LOG.info("removed stray route {} dev {} table {}", stray.destination(), stray.device(), table);
                }
            }
        } catch (IOException e) {
            throw new DataPlaneException("routing: " + e.getMessage(), e);
        }
    }

    @Override
    public RoutingState installed(int table) throws DataPlaneException {
        try {
            return new RoutingState(table, rules(table), routes(table));
        } catch (IOException e) {
            throw new DataPlaneException("routing: " + e.getMessage(), e);
        }
    }

    @Override
    public void tearDown(int table) throws DataPlaneException {
        try {
            for (RoutingRule r : rules(table)) {
                deleteRule(r);
            }
            for (IpFamily f : IpFamily.values()) {
                cmd.run(null, "ip", flag(f), "route", "flush", "table", String.valueOf(table));
            }
            LOG.info("removed routing table {} and its rules", table);
        } catch (IOException e) {
            throw new DataPlaneException("routing: " + e.getMessage(), e);
        }
    }

    /**
     * The device the kernel would send {@code address} out of for a packet carrying {@code mark} (WireGuard's own
     * packets carry 0x20): used to refuse endpoints that would be tunnelled inside the tunnel.
     */
    @Override
    public java.util.Optional<String> outputDevice(java.net.InetAddress address, int mark) throws DataPlaneException {
        try {
            HostCommands.Result r = cmd.run(null, "ip", "-j", "route", "get",
                    dev.discoveryd.nodeclient.format.IpText.format(address), "mark", hex(mark));
            if (!r.ok()) {
                return java.util.Optional.empty(); // unreachable: no route at all
            }
            String dev = JSON.readTree(r.stdout()).path(0).path("dev").asText("");
            return dev.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(dev);
        } catch (IOException e) {
            throw new DataPlaneException("route lookup: " + e.getMessage(), e);
        }
    }

    List<RoutingRule> rules(int table) throws IOException {
        List<RoutingRule> out = new ArrayList<>();
        for (IpFamily f : IpFamily.values()) {
            for (JsonNode r : JSON.readTree(cmd.check(null, "ip", "-j", flag(f), "rule", "show"))) {
                if (!r.path("table").asText().equals(String.valueOf(table))) {
                    continue;
                }
                int mark = r.has("fwmark") ? Integer.decode(r.path("fwmark").asText()) : 0;
                int mask = r.has("fwmask") ? Integer.decode(r.path("fwmask").asText()) : (r.has("fwmark") ? -1 : 0);
                out.add(new RoutingRule(f, mark, mask, r.path("priority").asInt(), table));
            }
        }
        return out;
    }

    List<Route> routes(int table) throws IOException {
        List<Route> out = new ArrayList<>();
        for (IpFamily f : IpFamily.values()) {
            HostCommands.Result r = cmd.run(null, "ip", "-j", flag(f), "route", "show", "table", String.valueOf(table));
            if (!r.ok() || r.stdout().isBlank()) {
                continue; // a table that does not exist yet
            }
            for (JsonNode n : JSON.readTree(r.stdout())) {
                String dst = n.path("dst").asText();
                IpPrefix p = dst.equals("default") ? IpPrefix.parse(f == IpFamily.INET4 ? "0.0.0.0/0" : "::/0")
                        : IpPrefix.parse(dst);
                int mtu = 0;
                for (JsonNode m : n.path("metrics")) {
                    mtu = m.path("mtu").asInt(mtu);
                }
                out.add(new Route(p, n.path("dev").asText(), table, n.path("metric").asInt(0), mtu));
            }
        }
        return out;
    }

    private void deleteRule(RoutingRule r) throws IOException {
        ip(r.family(), "rule", "del", "fwmark", hex(r.fwmark()) + "/" + hex(r.mask()), "table",
                String.valueOf(r.table()), "priority", String.valueOf(r.priority()));
    }

    private void ip(IpFamily f, String... args) throws IOException {
        String[] argv = new String[args.length + 2];
        argv[0] = "ip";
        argv[1] = flag(f);
        System.arraycopy(args, 0, argv, 2, args.length);
        cmd.check(null, argv);
    }

    private static String dst(IpPrefix p) {
        return p.bits() == 0 ? "default" : p.toString();
    }

    private static String flag(IpFamily f) {
        return f == IpFamily.INET4 ? "-4" : "-6";
    }

    private static String hex(int v) {
        return "0x" + Integer.toHexString(v);
    }

    private static String describe(RoutingRule r) {
        return (r.family() == IpFamily.INET4 ? "v4" : "v6") + " fwmark " + hex(r.fwmark()) + "/" + hex(r.mask())
                + " table " + r.table() + " priority " + r.priority();
    }
}
