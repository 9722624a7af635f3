package dev.discoveryd.agent.linux;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** An IP network (address masked to its prefix length), the unit of allowed IPs, routed sets and direct networks. */
public record IpPrefix(InetAddress address, int bits) {

    public IpPrefix {
        int max = address.getAddress().length * 8;
        if (bits < 0 || bits > max) {
            throw new IllegalArgumentException("prefix length " + bits + " out of range for " + address.getHostAddress());
        }
        address = mask(address, bits);
    }

    /** Parses {@code 10.0.0.0/8}, {@code fd00::1/128} or a bare address (a host prefix). Literals only, no DNS. */
    public static IpPrefix parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        InetAddress a = literal(addr);
        int max = a.getAddress().length * 8;
        int bits;
        try {
            bits = slash < 0 ? max : Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in '" + text + "'");
        }
        return new IpPrefix(a, bits);
    }

    public static IpPrefix host(InetAddress a) {
        return new IpPrefix(a, a.getAddress().length * 8);
    }

    /** An IP literal (v4 dotted quad or v6, brackets allowed); never a DNS lookup. */
    public static InetAddress literal(String s) {
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = t.indexOf(':') >= 0 && t.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("not an IP address: '" + s + "'");
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + s + "'");
        }
    }

    public boolean isV4() {
        return address instanceof Inet4Address;
    }

    public boolean contains(InetAddress a) {
        if (a.getAddress().length != address.getAddress().length) {
            return false;
        }
        return mask(a, bits).equals(address);
    }

    private static InetAddress mask(InetAddress a, int bits) {
        byte[] b = a.getAddress();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            b[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOf(b, b.length));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return text(address) + "/" + bits;
    }

    /** RFC 5952 text: IPv4 dotted, IPv6 lower-case with the longest run of zero groups (two or more) as "::". */
    public static String text(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return a.getHostAddress();
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }
}
