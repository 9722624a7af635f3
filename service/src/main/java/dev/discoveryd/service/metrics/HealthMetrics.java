package dev.discoveryd.service.metrics;

import dev.discoveryd.service.web.Readiness;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What alerts need beyond the reference's meters: readiness as a number (a long start-up replay shows as 0 while the
 * metrics port already answers) and the data directory's free space next to the reserve the log keeps.
 */
public final class HealthMetrics {
    private HealthMetrics() {
    }

    public static void readiness(MeterRegistry meters, Readiness readiness) {
        Gauge.builder("discovery.server.ready", readiness, r -> r.isReady() ? 1 : 0)
                .description("1 once the state is loaded and gRPC listens (what /readyz answers), 0 before and while stopping")
                .register(meters);
    }

    /** Free space is read at scrape time (scrapes run off the event loops); NaN when the directory cannot be read. */
    public static void disk(MeterRegistry meters, Path dataDir, long reserveBytes) {
        Gauge.builder("discovery.storage.disk.free", dataDir, HealthMetrics::usable).baseUnit("bytes")
                .description("usable space on the data directory's file system").register(meters);
        Gauge.builder("discovery.storage.disk.reserve", () -> reserveBytes).baseUnit("bytes")
                .description("--log-min-free: below it changes are refused with UNAVAILABLE").register(meters);
    }

    private static double usable(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
