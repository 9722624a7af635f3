package dev.discoveryd.agent.core;

import dev.discoveryd.nodeclient.format.IpPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Talos's endpoint filters (siderolabs/net FilterIPs): the result starts empty; each filter in order adds
 * the matching addresses not yet present (in input order) or, prefixed with {@code !}, removes matching
 * addresses already added. A bare IP is a /32 or /128.
 */
public final class EndpointFilter {
    private EndpointFilter() {
    }

    public static List<InetAddress> apply(List<InetAddress> ips, List<String> filters) {
        List<InetAddress> result = new ArrayList<>();
        for (String filter : filters) {
            boolean negative = filter.startsWith("!");
            IpSet net = IpSet.empty().add(parse(filter));
            for (InetAddress ip : ips) {
                if (!net.contains(ip)) {
                    continue;
                }
                if (negative) {
                    result.remove(ip);
                } else if (!result.contains(ip)) {
                    result.add(ip);
                }
            }
        }
        return List.copyOf(result);
    }

    /** Parses one filter ({@code [!]CIDR} or {@code [!]IP}); throws with the offending text. */
    public static IpPrefix parse(String filter) {
        String body = filter.startsWith("!") ? filter.substring(1) : filter;
        try {
            return IpPrefix.parse(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a CIDR or IP: \"" + filter + "\"");
        }
    }
}
