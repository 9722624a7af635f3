package dev.discoveryd.core.codec;

import dev.discoveryd.core.Event;
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

    /** Encodes in the current version; the exact size is computed first, so the bytes are written once, in place. */
    public static byte[] encode(Event event) {
        byte[] cluster = event.clusterId().getBytes(StandardCharsets.UTF_8);
        byte[] affiliate = event.affiliateId().getBytes(StandardCharsets.UTF_8);
        int size = 2 + sized(cluster) + sized(affiliate) + 8;
        Event.AffiliateUpdated update = event instanceof Event.AffiliateUpdated u ? u : null;
        if (update != null) {
            size += 1 + (update.data() == null ? 0 : sized(update.data())) + varintSize(update.endpoints().size()) + 8;
            for (byte[] endpoint : update.endpoints()) {
                size += sized(endpoint);
            }
        } else if (event instanceof Event.EndpointsExpired x) {
            size += varintSize(x.count());
        }
        Writer out = new Writer(size);
        out.write(VERSION);
        out.write(typeOf(event));
        out.writeBytes(cluster);
        out.writeBytes(affiliate);
        out.writeLong(event.time());
        if (update != null) {
            out.write(update.data() == null ? 0 : 1);
            if (update.data() != null) {
                out.writeBytes(update.data());
            }
            out.writeVarint(update.endpoints().size());
            for (byte[] endpoint : update.endpoints()) {
                out.writeBytes(endpoint);
            }
            out.writeLong(update.expiresAt());
        } else if (event instanceof Event.EndpointsExpired x) {
            out.writeVarint(x.count());
        }
        if (out.at != size) {
            throw new IllegalStateException("event size computed as " + size + " but " + out.at + " bytes written");
        }
        return out.bytes;
    }

    private static int sized(byte[] b) {
        return varintSize(b.length) + b.length;
    }

    private static int varintSize(int value) {
        int n = 1;
        for (int v = value; (v & ~0x7F) != 0; v >>>= 7) {
            n++;
        }
        return n;
    }

    /** Writes into an array of the exact size. */
    private static final class Writer {
        final byte[] bytes;
        int at;

        Writer(int size) {
            bytes = new byte[size];
        }

        void write(int b) {
            bytes[at++] = (byte) b;
        }

        void writeBytes(byte[] b) {
            writeVarint(b.length);
            System.arraycopy(b, 0, bytes, at, b.length);
            at += b.length;
        }

        void writeVarint(int value) {
            int v = value;
            while ((v & ~0x7F) != 0) {
                write((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            write(v);
        }

        void writeLong(long v) {
            for (int shift = 56; shift >= 0; shift -= 8) {
                write((int) (v >>> shift));
            }
        }
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
