package dev.discoveryd.ops;

import io.vertx.core.Future;
import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/** Keeps {@code inflight} requests outstanding per connection for a while and measures throughput and latency. */
final class ClosedLoop {
    /** @param cpuMicros CPU time this process (client and server) spent per request, all threads */
    record Result(String name, long requests, long errors, double seconds, double p50ms, double p99ms, double maxMs,
                  double cpuMicros, String cpuByThread) {
        double perSecond() {
            return requests / seconds;
        }

        @Override
        public String toString() {
            return String.format("%-16s %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  CPU %5.1f µs/req  (%d requests, %d errors)",
                    name, perSecond(), p50ms, p99ms, maxMs, cpuMicros, requests, errors)
                    + "\n                 CPU µs/req by thread: " + cpuByThread;
        }
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** @param call one request of the workload, given a sequence number; completes when answered */
    static Result run(String name, List<IntFunction<Future<?>>> connections, int inflight, Duration warmup, Duration measure)
            throws InterruptedException {
        Recorder latencies = new Recorder(3);
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong seq = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(connections.size() * inflight);
        for (IntFunction<Future<?>> call : connections) {
            for (int i = 0; i < inflight; i++) {
                loop(call, latencies, measuring, stop, done, errors, seq, finished);
            }
        }
        Thread.sleep(warmup.toMillis());
        latencies.reset();
        long startCount = done.get();
        long startErrors = errors.get();
        long started = System.nanoTime();
        long cpuStarted = OS.getProcessCpuTime();
        java.util.Map<String, Long> threadsStarted = ThreadCpu.byGroup();
        measuring.set(true);
        Thread.sleep(measure.toMillis());
        long count = done.get() - startCount;
        long cpu = OS.getProcessCpuTime() - cpuStarted;
        java.util.Map<String, Long> threadsEnded = ThreadCpu.byGroup();
        double seconds = (System.nanoTime() - started) / 1e9;
        measuring.set(false);
        var h = latencies.getIntervalHistogram();
        stop.set(true);
        finished.await(30, TimeUnit.SECONDS);
        return new Result(name, count, errors.get() - startErrors, seconds,
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6,
                count == 0 ? 0 : cpu / 1e3 / count, ThreadCpu.perRequest(threadsStarted, threadsEnded, cpu, count));
    }

    private static void loop(IntFunction<Future<?>> call, Recorder latencies, AtomicBoolean measuring, AtomicBoolean stop,
                             AtomicLong done, AtomicLong errors, AtomicLong seq, CountDownLatch finished) {
        if (stop.get()) {
            finished.countDown();
            return;
        }
        long t0 = System.nanoTime();
        call.apply((int) seq.getAndIncrement()).onComplete(ar -> {
            long took = System.nanoTime() - t0;
            if (ar.succeeded()) {
                done.incrementAndGet();
                if (measuring.get()) {
                    latencies.recordValue(took);
                }
            } else {
                errors.incrementAndGet();
            }
            loop(call, latencies, measuring, stop, done, errors, seq, finished);
        });
    }

    private ClosedLoop() {
    }
}
