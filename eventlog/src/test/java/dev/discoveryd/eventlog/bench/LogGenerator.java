package dev.discoveryd.eventlog.bench;

import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.TestEvents;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.ChronicleEventLog;
import dev.discoveryd.eventlog.LogOptions;
import dev.discoveryd.eventlog.SyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes a data directory with a log of N generated events and its at-rest key ({@code <dir>/at-rest.key}), for
 * measuring the log tools and start-up replay on long logs with the real jar (classpath as in {@link BenchMain}):
 *
 * <pre>
 * java ...flags... -cp ... dev.discoveryd.eventlog.bench.LogGenerator /tmp/bench-data 10000000
 * java -jar service/target/discoveryd.jar log verify --data-dir /tmp/bench-data      # progress on stderr, events/s
 * java -jar service/target/discoveryd.jar log dump --data-dir /tmp/bench-data > /dev/null
 * java -jar service/target/discoveryd.jar --data-dir /tmp/bench-data --snapshots-enabled=false ...  # "state rebuilt" line
 * </pre>
 */
public final class LogGenerator {
    private LogGenerator() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long events = Long.parseLong(args[1]);
        KeyRing keys = KeyRing.loadOrCreate(dir, List.of());
        long start = System.nanoTime();
        TestEvents generated = new TestEvents(1);
        try (ChronicleEventLog log = ChronicleEventLog.open(LogOptions.defaults(dir, keys)
                .withSync(SyncPolicy.NEVER, Duration.ofSeconds(1)))) {
            CompletableFuture<LogPosition> last = null;
            for (long i = 0; i < events; i++) {
                last = log.append(generated.next());
                if ((i & 0xFFFF) == 0xFFFF) {
                    last.join(); // bounds the writer's inbox
                }
            }
            if (last != null) {
                last.join();
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("wrote " + events + " events to " + dir + " in " + millis + " ms");
    }
}
