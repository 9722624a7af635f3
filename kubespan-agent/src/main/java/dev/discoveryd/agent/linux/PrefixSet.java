package dev.discoveryd.agent.linux;

import dev.discoveryd.nodeclient.format.IpPrefix;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Sets of addresses as merged ranges, to compare what nftables reports (it merges and splits interval sets its
 * own way) with what we asked for, and to print a set as its minimal sorted CIDR cover, IPv4 before IPv6.
 */
final class PrefixSet {
    private record Range(int bytes, BigInteger first, BigInteger last) {
    }

    private PrefixSet() {
    }

    static List<IpPrefix> minimal(List<IpPrefix> prefixes) {
        List<Range> ranges = new ArrayList<>();
        for (IpPrefix p : prefixes) {
            int len = p.ip().getAddress().length;
            BigInteger start = toInt(p.ip()).shiftRight(len * 8 - p.bits()).shiftLeft(len * 8 - p.bits());
            BigInteger size = BigInteger.ONE.shiftLeft(len * 8 - p.bits());
            ranges.add(new Range(len, start, start.add(size).subtract(BigInteger.ONE)));
        }
        return cover(merge(ranges));
    }

    /** From a first and last address (nft prints some intervals as ranges). */
    static List<IpPrefix> range(InetAddress first, InetAddress last) {
        return cover(List.of(new Range(first.getAddress().length, toInt(first), toInt(last))));
    }

    private static List<Range> merge(List<Range> in) {
        List<Range> sorted = new ArrayList<>(in);
        sorted.sort(Comparator.comparingInt(Range::bytes).thenComparing(Range::first));
        List<Range> out = new ArrayList<>();
        for (Range r : sorted) {
            if (!out.isEmpty()) {
                Range last = out.get(out.size() - 1);
                if (last.bytes() == r.bytes() && last.last().add(BigInteger.ONE).compareTo(r.first()) >= 0) {
                    out.set(out.size() - 1, new Range(r.bytes(), last.first(), last.last().max(r.last())));
                    continue;
                }
            }
            out.add(r);
        }
        return out;
    }

    private static List<IpPrefix> cover(List<Range> ranges) {
        List<IpPrefix> out = new ArrayList<>();
        for (Range r : ranges) {
            int width = r.bytes() * 8;
            BigInteger cur = r.first();
            while (cur.compareTo(r.last()) <= 0) {
                int host = cur.signum() == 0 ? width : Math.min(width, cur.getLowestSetBit());
                while (host > 0 && cur.add(BigInteger.ONE.shiftLeft(host)).subtract(BigInteger.ONE).compareTo(r.last()) > 0) {
                    host--;
                }
                out.add(new IpPrefix(fromInt(cur, r.bytes()), width - host));
                cur = cur.add(BigInteger.ONE.shiftLeft(host));
            }
        }
        return out;
    }

    static boolean isV4(IpPrefix p) {
        return p.ip() instanceof Inet4Address;
    }

    private static BigInteger toInt(InetAddress a) {
        return new BigInteger(1, a.getAddress());
    }

    private static InetAddress fromInt(BigInteger v, int bytes) {
        byte[] raw = v.toByteArray();
        byte[] b = new byte[bytes];
        int n = Math.min(raw.length, bytes);
        System.arraycopy(raw, raw.length - n, b, bytes - n, n);
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
