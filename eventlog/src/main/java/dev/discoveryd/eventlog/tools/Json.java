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

    static JsonGenerator generator(java.io.OutputStream out) {
        try {
            return FACTORY.createGenerator(out, com.fasterxml.jackson.core.JsonEncoding.UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonGenerator generator(Writer out) {
        try {
            return FACTORY.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final long FIRST_DAY = java.time.LocalDate.of(0, 1, 1).toEpochDay();
    private static final long LAST_DAY = java.time.LocalDate.of(9999, 12, 31).toEpochDay();

    /**
     * RFC 3339 in UTC, e.g. 2026-05-19T12:00:00.250Z: exactly {@link Instant#toString()} of the millisecond (no fraction
     * when it is zero), without its formatter, which cost a dump of a long log a good part of its time.
     */
    static String time(long epochMillis) {
        long seconds = Math.floorDiv(epochMillis, 1000);
        int millis = (int) Math.floorMod(epochMillis, 1000);
        long day = Math.floorDiv(seconds, 86_400);
        if (day < FIRST_DAY || day > LAST_DAY) {
            return Instant.ofEpochMilli(epochMillis).toString();
        }
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        java.time.LocalDate date = java.time.LocalDate.ofEpochDay(day);
        char[] out = new char[millis == 0 ? 20 : 24];
        digits(out, 0, date.getYear(), 4);
        out[4] = '-';
        digits(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        if (millis != 0) {
            out[19] = '.';
            digits(out, 20, millis, 3);
        }
        out[out.length - 1] = 'Z';
        return new String(out);
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
