package dev.discoveryd.eventlog.bench;

import dev.discoveryd.core.Event;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.ChronicleEventLog;
import dev.discoveryd.eventlog.LogOptions;
import dev.discoveryd.eventlog.SyncPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Raw append rate and latency per sync policy: an append completes when its record is durable per the policy. A
 * typical update: 300 bytes of data, two endpoints. Run through {@link BenchMain}.
 */
@State(Scope.Benchmark)
public class AppendBenchmark {
    @Param({"ALWAYS", "PERIODIC", "NEVER"})
    public SyncPolicy sync;

    private Path dir;
    private ChronicleEventLog log;
    private Event event;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("append-bench");
        log = ChronicleEventLog.open(LogOptions.defaults(dir, KeyRing.generate(1)).withSync(sync, Duration.ofSeconds(1)));
        event = new Event.AffiliateUpdated("cluster-3Jq0bN8vXo6b1cM9", "affiliate-Zk1u7Qh2", System.currentTimeMillis(),
                new byte[300], List.of(new byte[18], new byte[18]), System.currentTimeMillis() + 1_800_000);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        log.close();
        BenchFiles.deleteTree(dir);
    }

    /** One caller: latency distribution of a single append (mean, p50, p99). */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object appendOneCaller() {
        return log.append(event).join();
    }

    /** Four concurrent callers: appends per second, with group commit under ALWAYS. */
    @Benchmark
    @Threads(4)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Object appendFourCallers() {
        return log.append(event).join();
    }
}
