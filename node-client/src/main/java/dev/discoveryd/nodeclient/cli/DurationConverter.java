package dev.discoveryd.nodeclient.cli;

import dev.discoveryd.api.GoDuration;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Picocli's side of {@link GoDuration}: {@code --ttl 30m}, {@code 90s}, {@code 1h30m}. */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
        return GoDuration.parse(text);
    }
}
