package dev.discoveryd.nodeclient.format;

import java.net.InetAddress;
import java.util.Objects;

/** An IP prefix such as {@code 10.244.1.0/24}. */
public record IpPrefix(InetAddress ip, int bits) {
    public IpPrefix {
        Objects.requireNonNull(ip, "ip");
        int max = ip.getAddress().length * 8;
        if (bits < 0 || bits > max) {
            throw new IllegalArgumentException("prefix length " + bits + " out of range 0.." + max);
        }
    }

    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            InetAddress ip = IpText.parse(text);
            return new IpPrefix(ip, ip.getAddress().length * 8);
        }
        try {
            return new IpPrefix(IpText.parse(text.substring(0, slash)), Integer.parseInt(text.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in " + text);
        }
    }

    @Override
    public String toString() {
        return IpText.format(ip) + "/" + bits;
    }
}
