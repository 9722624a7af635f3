package dev.discoveryd.snapshots;

import dev.discoveryd.core.Event;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A simple binary encoding of {@link Event.AffiliateUpdated} for the benchmark's replay baseline only: the real log
 * codec is written elsewhere. Layout: ids and byte strings as (u16 length, bytes), times as 64-bit.
 */
final class BenchEventCodec {
    private BenchEventCodec() {
    }

    static byte[] encode(Event.AffiliateUpdated e) {
        byte[] cid = e.clusterId().getBytes(StandardCharsets.UTF_8);
        byte[] aid = e.affiliateId().getBytes(StandardCharsets.UTF_8);
        int size = 2 + cid.length + 2 + aid.length + 8 + 8 + 2 + e.data().length + 2;
        for (byte[] ep : e.endpoints()) {
            size += 2 + ep.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        put(out, cid);
        put(out, aid);
        out.putLong(e.time()).putLong(e.expiresAt());
        put(out, e.data());
        out.putShort((short) e.endpoints().size());
        for (byte[] ep : e.endpoints()) {
            put(out, ep);
        }
        return out.array();
    }

    static Event.AffiliateUpdated decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        String cid = new String(get(in), StandardCharsets.UTF_8);
        String aid = new String(get(in), StandardCharsets.UTF_8);
        long time = in.getLong();
        long expiresAt = in.getLong();
        byte[] data = get(in);
        int n = in.getShort();
        List<byte[]> endpoints = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            endpoints.add(get(in));
        }
        return new Event.AffiliateUpdated(cid, aid, time, data, endpoints, expiresAt);
    }

    private static void put(ByteBuffer out, byte[] bytes) {
        out.putShort((short) bytes.length).put(bytes);
    }

    private static byte[] get(ByteBuffer in) {
        byte[] bytes = new byte[in.getShort() & 0xFFFF];
        in.get(bytes);
        return bytes;
    }
}
