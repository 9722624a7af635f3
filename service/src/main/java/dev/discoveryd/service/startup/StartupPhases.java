package dev.discoveryd.service.startup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where start-up time went, for the one "serving" log line: the JVM's own start (process launch to {@code main}),
 * then each named phase. Only for people reading the log; nothing depends on it.
 */
public final class StartupPhases {
    private final List<String> phases = new ArrayList<>();
    private final long jvmMillis;
    private long last = System.nanoTime();
    private long total;

    private StartupPhases(long jvmMillis) {
        this.jvmMillis = jvmMillis;
    }

    /** Starts counting now; the JVM's part is measured from the process start time the OS reports. */
    public static StartupPhases begin() {
        Optional<Instant> launched = ProcessHandle.current().info().startInstant();
        long jvm = launched.map(t -> Math.max(0, Duration.between(t, Instant.now()).toMillis())).orElse(-1L);
        return new StartupPhases(jvm);
    }

    /** Ends the phase running since the previous call (or {@link #begin}). */
    public void done(String phase) {
        long now = System.nanoTime();
        long ms = (now - last) / 1_000_000;
        last = now;
        total += ms;
        phases.add(phase + " " + ms);
    }

    /** E.g. "started in 812 ms after the JVM's 210 (store 300, vertx 80, ...)". */
    public String summary() {
        String jvm = jvmMillis < 0 ? "" : " after the JVM's " + jvmMillis;
        return "started in " + total + " ms" + jvm + " (" + String.join(", ", phases) + ")";
    }
}
