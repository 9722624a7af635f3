package dev.discoveryd.service.cli;

import picocli.CommandLine.ITypeConverter;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** RFC 3339 times for --since / --until ("2026-11-25T12:00:00Z", offsets allowed). */
final class Times implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an RFC 3339 time: " + value + " (e.g. 2026-11-25T12:00:00Z)");
        }
    }
}
