package dev.discoveryd.agent.port;

import dev.discoveryd.nodeclient.format.IpPrefix;
import java.util.List;
import java.util.Objects;

/**
 * Everything KubeSpan owns in the routing system: the rules pointing into {@code table} and the routes
 * inside it. Applying it makes the table hold exactly these routes and these rules exist once each.
 */
public record RoutingState(int table, List<RoutingRule> rules, List<Route> routes) {
    public static final int KUBESPAN_TABLE = 180;
    public static final int FORCE_MARK = 0x40;
    public static final int MARK_MASK = 0x60;
    public static final int RULE_PRIORITY = 32500;
    public static final int ROUTE_METRIC = 1;

    public RoutingState {
        rules = List.copyOf(rules);
        routes = List.copyOf(routes);
        for (RoutingRule rule : rules) {
            if (rule.table() != table) {
                throw new IllegalArgumentException("rule points to table " + rule.table() + ", not " + table);
            }
        }
        for (Route route : routes) {
            if (route.table() != table) {
                throw new IllegalArgumentException("route in table " + route.table() + ", not " + table);
            }
        }
    }

    /** Talos's layout: default routes (v4, v6) via the link in table 180, rules fwmark 0x40/0x60 at 32500. */
    public static RoutingState kubespan(String device, int mtu) {
        Objects.requireNonNull(device, "device");
        return new RoutingState(KUBESPAN_TABLE,
                List.of(new RoutingRule(IpFamily.INET4, FORCE_MARK, MARK_MASK, RULE_PRIORITY, KUBESPAN_TABLE),
                        new RoutingRule(IpFamily.INET6, FORCE_MARK, MARK_MASK, RULE_PRIORITY, KUBESPAN_TABLE)),
                List.of(new Route(IpPrefix.parse("0.0.0.0/0"), device, KUBESPAN_TABLE, ROUTE_METRIC, mtu),
                        new Route(IpPrefix.parse("::/0"), device, KUBESPAN_TABLE, ROUTE_METRIC, mtu)));
    }
}
