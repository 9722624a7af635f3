package dev.discoveryd.eventlog.codec;

import dev.discoveryd.core.Event;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned binary encoding of core {@link Event}s (the plaintext inside a sealed log record).
 *
 * <pre>
 * u8 version (1)   u8 type (1 update, 2 delete, 3 expired, 4 endpoints expired)
 * str clusterId    str affiliateId    i64 time
 * update:             u8 hasData, [bytes data], varint endpointCount, endpointCount x bytes, i64 expiresAt
 * endpoints expired:  varint count
 * str = bytes of UTF-8; bytes = varint length + bytes; varint = unsigned LEB128; i64 = 8 bytes big-endian
 * </pre>
 *
 * Evolution rule: later versions only append fields at the end of a type's layout, so the decoder reads the fields it
 * knows and ignores trailing bytes. Old logs therefore decode with new code, and a newer record decodes (without its
 * new fields) with old code. New event types get new type numbers. Stateless and thread-safe.
 */
public final class EventCodec {
    public static final int VERSION = 1;

    private static final int UPDATED = 1;
    private static final int DELETED = 2;
    private static final int EXPIRED = 3;
    private static final int ENDPOINTS_EXPIRED = 4;

    private EventCodec() {
    }

    public static byte[] encode(Event event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(VERSION);
        out.write(typeOf(event));
        writeBytes(out, event.clusterId().getBytes(StandardCharsets.UTF_8));
        writeBytes(out, event.affiliateId().getBytes(StandardCharsets.UTF_8));
        writeLong(out, event.time());
        if (event instanceof Event.AffiliateUpdated u) {
            out.write(u.data() == null ? 0 : 1);
            if (u.data() != null) {
                writeBytes(out, u.data());
            }
            writeVarint(out, u.endpoints().size());
            for (byte[] endpoint : u.endpoints()) {
                writeBytes(out, endpoint);
            }
            writeLong(out, u.expiresAt());
        } else if (event instanceof Event.EndpointsExpired x) {
            writeVarint(out, x.count());
        }
        return out.toByteArray();
    }

    /** Decodes what {@link #encode} wrote, in this or any later version; fails with {@link EventCodecException}. */
    public static Event decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            int version = in.get() & 0xFF;
            if (version < 1) {
                throw new EventCodecException("unknown codec version " + version);
            }
            int type = in.get() & 0xFF;
            String cluster = new String(readBytes(in), StandardCharsets.UTF_8);
            String affiliate = new String(readBytes(in), StandardCharsets.UTF_8);
            long time = in.getLong();
            switch (type) {
                case UPDATED:
                    byte[] data = in.get() == 0 ? null : readBytes(in);
                    int count = readVarint(in);
                    List<byte[]> endpoints = new ArrayList<>(Math.min(count, 64));
                    for (int i = 0; i < count; i++) {
                        endpoints.add(readBytes(in));
                    }
                    return new Event.AffiliateUpdated(cluster, affiliate, time, data, endpoints, in.getLong());
                case DELETED:
                    return new Event.AffiliateDeleted(cluster, affiliate, time);
                case EXPIRED:
                    return new Event.AffiliateExpired(cluster, affiliate, time);
                case ENDPOINTS_EXPIRED:
                    return new Event.EndpointsExpired(cluster, affiliate, time, readVarint(in));
                default:
                    throw new EventCodecException("unknown event type " + type + " (codec version " + version + ")");
            }
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new EventCodecException("truncated or malformed event (" + bytes.length + " bytes)");
        }
    }

    private static int typeOf(Event event) {
        if (event instanceof Event.AffiliateUpdated) {
            return UPDATED;
        }
        if (event instanceof Event.AffiliateDeleted) {
            return DELETED;
        }
        if (event instanceof Event.AffiliateExpired) {
            return EXPIRED;
        }
        if (event instanceof Event.EndpointsExpired) {
            return ENDPOINTS_EXPIRED;
        }
        throw new IllegalArgumentException("no codec for " + event.getClass());
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] b) {
        writeVarint(out, b.length);
        out.write(b, 0, b.length);
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        int v = value;
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static void writeLong(ByteArrayOutputStream out, long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift));
        }
    }

    private static byte[] readBytes(ByteBuffer in) {
        int length = readVarint(in);
        if (length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] b = new byte[length];
        in.get(b);
        return b;
    }

    private static int readVarint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = in.get();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0) {
                    throw new IllegalArgumentException("negative length");
                }
                return value;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }
}
