package dev.discoveryd.eventlog.bench;

import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.View;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.ChronicleEventLog;
import dev.discoveryd.eventlog.LogOptions;
import dev.discoveryd.eventlog.SyncPolicy;
import dev.discoveryd.core.TestEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Replay speed: authenticate, decrypt, decode and fold every record into a view; the score is events per second. */
@State(Scope.Benchmark)
public class ReplayBenchmark {
    static final int EVENTS = 200_000;

    private Path dir;
    private ChronicleEventLog log;

    @Setup(Level.Trial)
    public void fill() throws IOException {
        dir = Files.createTempDirectory("replay-bench");
        log = ChronicleEventLog.open(LogOptions.defaults(dir, KeyRing.generate(1)).withSync(SyncPolicy.NEVER, Duration.ofSeconds(1)));
        TestEvents events = new TestEvents(1);
        CompletableFuture<LogPosition> last = null;
        for (int i = 0; i < EVENTS; i++) {
            last = log.append(events.next());
        }
        last.join();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        log.close();
        BenchFiles.deleteTree(dir);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(EVENTS)
    public View replayAll() {
        View view = new View();
        log.replay(LogPosition.START, (i, e) -> view.evolve(e));
        return view;
    }
}
