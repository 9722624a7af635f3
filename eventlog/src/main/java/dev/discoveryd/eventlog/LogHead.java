package dev.discoveryd.eventlog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.discoveryd.eventlog.record.RecordFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A point the log has reached: a record's Chronicle index and its chain mac. Kept outside the log (in each snapshot's
 * metadata, or exported with {@code log head} to a file the operator stores elsewhere), it makes truncation visible:
 * a log cut back to before the head no longer holds that record. The mac authenticates nothing by itself and is safe
 * to export; only the at-rest key can make a record that carries it.
 */
public record LogHead(long index, byte[] mac) {
    private static final int BYTES = 8 + RecordFormat.MAC_BYTES;
    private static final JsonFactory JSON = new JsonFactory();

    public LogHead {
        if (mac.length != RecordFormat.MAC_BYTES) {
            throw new IllegalArgumentException("a head mac has " + RecordFormat.MAC_BYTES + " bytes, not " + mac.length);
        }
        mac = mac.clone();
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    /** 40 bytes: the index, then the mac. */
    public byte[] toBytes() {
        return ByteBuffer.allocate(BYTES).putLong(index).put(mac).array();
    }

    public static LogHead fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a log head has " + BYTES + " bytes, not " + bytes.length);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long index = in.getLong();
        byte[] mac = new byte[RecordFormat.MAC_BYTES];
        in.get(mac);
        return new LogHead(index, mac);
    }

    /** The file form {@code log head} writes: {@code {"logHead": 1, "index": N, "mac": "<hex>"}} and a newline. */
    public String toJson() {
        return "{\"logHead\": 1, \"index\": " + index + ", \"mac\": \"" + HexFormat.of().formatHex(mac) + "\"}\n";
    }

    /** Parses {@link #toJson()} output; fails with {@link IllegalArgumentException} saying what is wrong. */
    public static LogHead parseJson(String text) {
        Long index = null;
        String mac = null;
        Integer version = null;
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a log head (expected a JSON object)");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "logHead" -> version = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                    case "index" -> index = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                    case "mac" -> mac = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a log head: " + e.getMessage());
        }
        if (version == null || version != 1 || index == null || mac == null) {
            throw new IllegalArgumentException("not a log head (needs \"logHead\": 1, \"index\" and \"mac\")");
        }
        try {
            return new LogHead(index, HexFormat.of().parseHex(mac));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("log head mac is not " + RecordFormat.MAC_BYTES + " bytes of hex");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogHead h && h.index == index && Arrays.equals(h.mac, mac);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + Arrays.hashCode(mac);
    }

    @Override
    public String toString() {
        return "record " + index + " (mac " + HexFormat.of().formatHex(mac, 0, 4) + "...)";
    }
}
