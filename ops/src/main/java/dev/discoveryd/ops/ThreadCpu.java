package dev.discoveryd.ops;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;

/** CPU time of this process's threads, grouped by what they do, to tell where the CPU of a benchmark phase went. */
final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {
    }

    /** Nanoseconds of CPU per thread group, for the threads alive now. */
    static Map<String, Long> byGroup() {
        Map<String, Long> groups = new TreeMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            long nanos = THREADS.getThreadCpuTime(id);
            ThreadInfo info = THREADS.getThreadInfo(id);
            if (nanos > 0 && info != null) {
                groups.merge(group(info.getThreadName()), nanos, Long::sum);
            }
        }
        return groups;
    }

    /** "event loops 14.2, eventlog-writer 2.1, ..., JVM (GC, JIT) 1.3" in µs per request between two readings. */
    static String perRequest(Map<String, Long> before, Map<String, Long> after, long processNanos, long requests) {
        if (requests == 0) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        long javaThreads = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long delta = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            javaThreads += delta;
            if (delta / requests >= 50) { // 0.05 µs per request and more
                out.append(String.format("%s %.1f, ", e.getKey(), delta / 1e3 / requests));
            }
        }
        return out.append(String.format("JVM (GC, JIT) %.1f", (processNanos - javaThreads) / 1e3 / requests)).toString();
    }

    private static String group(String name) {
        if (name.startsWith("vert.x-eventloop")) {
            return "event loops";
        }
        return name.replaceAll("[-#]?\\d+$", "");
    }
}
