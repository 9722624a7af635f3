package dev.discoveryd.eventlog.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;

/** The JSON conventions of the tools: RFC 3339 UTC times, base64 bytes, targets left open. */
final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build()
            .setRootValueSeparator(null);

    private Json() {
    }

    static JsonGenerator generator(Writer out) {
        try {
            return FACTORY.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 3339 in UTC, e.g. 2026-05-19T12:00:00.250Z. */
    static String time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
