package dev.discoveryd.service.ratelimit;

/** A client address as a compact map key: IPv4 and IPv6 addresses in two longs (an unknown address is all zero). */
public record IpKey(long high, long low) {
    private static final long V4_MARK = 1L << 40;

    public static IpKey of(byte[] ip) {
        if (ip.length == 4) {
            return new IpKey(0, V4_MARK | (readInt(ip, 0) & 0xffffffffL));
        }
        if (ip.length == 16) {
            return new IpKey(readLong(ip, 0), readLong(ip, 8));
        }
        return new IpKey(0, 0);
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static long readLong(byte[] b, int at) {
        return (readInt(b, at) & 0xffffffffL) << 32 | (readInt(b, at + 4) & 0xffffffffL);
    }
}
