package dev.discoveryd.nodeclient.format;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/** A WireGuard endpoint {@code ip:port}; IPv6 printed as {@code [ip]:port}. */
public record NodeEndpoint(InetAddress ip, int port) {
    public NodeEndpoint {
        Objects.requireNonNull(ip, "ip");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public static NodeEndpoint parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("endpoint must be ip:port or [ipv6]:port: " + text);
        }
        String host = text.substring(0, colon);
        if (host.contains(":") && !host.startsWith("[")) {
            throw new IllegalArgumentException("IPv6 endpoint must be written [ip]:port: " + text);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in endpoint: " + text);
        }
        return new NodeEndpoint(IpText.parse(host), port);
    }

    @Override
    public String toString() {
        String host = IpText.format(ip);
        return (ip instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }
}
