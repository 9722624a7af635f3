package dev.discoveryd.agent.core;

import dev.discoveryd.nodeclient.format.IpPrefix;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * An immutable set of IP addresses (v4 and v6 kept apart) as sorted, disjoint, non-adjacent ranges,
 * written out as the minimal sorted CIDR cover, v4 first, the way netipx.IPSet.Prefixes() does.
 */
public final class IpSet {
    private static final IpSet EMPTY = new IpSet(List.of(), List.of());

    private final List<Range> v4;
    private final List<Range> v6;

    private record Range(BigInteger lo, BigInteger hi) {
    }

    private IpSet(List<Range> v4, List<Range> v6) {
        this.v4 = v4;
        this.v6 = v6;
    }

    public static IpSet empty() {
        return EMPTY;
    }

    public static IpSet of(List<IpPrefix> prefixes) {
        IpSet set = EMPTY;
        for (IpPrefix p : prefixes) {
            set = set.add(p);
        }
        return set;
    }

    /** Adds the whole prefix, masked first (10.244.3.1/24 adds 10.244.3.0/24). */
    public IpSet add(IpPrefix prefix) {
        return union(single(prefix));
    }

    public IpSet add(InetAddress host) {
        return add(new IpPrefix(host, host.getAddress().length * 8));
    }

    public IpSet remove(IpPrefix prefix) {
        return subtract(single(prefix));
    }

    public IpSet union(IpSet other) {
        return new IpSet(unite(v4, other.v4), unite(v6, other.v6));
    }

    public IpSet subtract(IpSet other) {
        return new IpSet(minus(v4, other.v4), minus(v6, other.v6));
    }

    public IpSet intersect(IpSet other) {
        return subtract(subtract(other));
    }

    public boolean isEmpty() {
        return v4.isEmpty() && v6.isEmpty();
    }

    public boolean contains(InetAddress ip) {
        BigInteger value = new BigInteger(1, ip.getAddress());
        for (Range r : ip.getAddress().length == 4 ? v4 : v6) {
            if (r.lo.compareTo(value) <= 0 && value.compareTo(r.hi) <= 0) {
                return true;
            }
        }
        return false;
    }

    /** The minimal list of prefixes covering exactly this set, sorted, IPv4 before IPv6. */
    public List<IpPrefix> prefixes() {
        List<IpPrefix> out = new ArrayList<>();
        cover(v4, 32, out);
        cover(v6, 128, out);
        return List.copyOf(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpSet other && v4.equals(other.v4) && v6.equals(other.v6);
    }

    @Override
    public int hashCode() {
        return v4.hashCode() * 31 + v6.hashCode();
    }

    @Override
    public String toString() {
        return prefixes().toString();
    }

    private static IpSet single(IpPrefix prefix) {
        int width = prefix.ip().getAddress().length * 8;
        BigInteger hostBits = BigInteger.ONE.shiftLeft(width - prefix.bits()).subtract(BigInteger.ONE);
        BigInteger lo = new BigInteger(1, prefix.ip().getAddress()).andNot(hostBits);
        Range range = new Range(lo, lo.or(hostBits));
        return width == 32 ? new IpSet(List.of(range), List.of()) : new IpSet(List.of(), List.of(range));
    }

    private static List<Range> unite(List<Range> a, List<Range> b) {
        List<Range> all = new ArrayList<>(a);
        all.addAll(b);
        all.sort((x, y) -> x.lo.compareTo(y.lo));
        List<Range> out = new ArrayList<>();
        for (Range r : all) {
            if (!out.isEmpty() && out.get(out.size() - 1).hi.add(BigInteger.ONE).compareTo(r.lo) >= 0) {
                Range last = out.remove(out.size() - 1);
                out.add(new Range(last.lo, last.hi.max(r.hi)));
            } else {
                out.add(r);
            }
        }
        return List.copyOf(out);
    }

    private static List<Range> minus(List<Range> a, List<Range> b) {
        List<Range> out = new ArrayList<>();
        for (Range r : a) {
            BigInteger lo = r.lo;
            boolean gone = false;
            for (Range cut : b) {
                if (cut.hi.compareTo(lo) < 0 || cut.lo.compareTo(r.hi) > 0) {
                    continue;
                }
                if (cut.lo.compareTo(lo) > 0) {
                    out.add(new Range(lo, cut.lo.subtract(BigInteger.ONE)));
                }
                if (cut.hi.compareTo(r.hi) >= 0) {
                    gone = true;
                    break;
                }
                lo = cut.hi.add(BigInteger.ONE);
            }
            if (!gone) {
                out.add(new Range(lo, r.hi));
            }
        }
        return List.copyOf(out);
    }

    private static void cover(List<Range> ranges, int width, List<IpPrefix> out) {
        for (Range r : ranges) {
            BigInteger lo = r.lo;
            while (lo.compareTo(r.hi) <= 0) {
                // Largest aligned block starting at lo that stays inside the range.
                int size = lo.signum() == 0 ? width : Math.min(lo.getLowestSetBit(), width);
                while (size > 0 && lo.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(r.hi) > 0) {
                    size--;
                }
                out.add(new IpPrefix(toAddress(lo, width), width - size));
                lo = lo.add(BigInteger.ONE.shiftLeft(size));
            }
        }
    }

    private static InetAddress toAddress(BigInteger value, int width) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[width / 8];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }
}
