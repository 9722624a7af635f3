package dev.discoveryd.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Another process's CPU time and memory, read from /proc (Linux): the server's cost as its own process. RSS is split
 * into anonymous memory (heap, malloc, stacks) and file pages (the jar, the start-up cache, mapped log files), which
 * the kernel can drop under pressure.
 */
record ProcStats(double cpuSeconds, long rssBytes, long peakRssBytes, long anonBytes, long fileBytes) {
    /** Linux reports utime/stime in USER_HZ ticks, 100 per second on every mainstream architecture. */
    private static final double TICKS_PER_SECOND = 100;

    static ProcStats read(long pid) throws IOException {
        double cpu = cpuSeconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        long rss = 0;
        long peak = 0;
        long anon = 0;
        long file = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = kib(line);
            } else if (line.startsWith("VmHWM:")) {
                peak = kib(line);
            } else if (line.startsWith("RssAnon:")) {
                anon = kib(line);
            } else if (line.startsWith("RssFile:") || line.startsWith("RssShmem:")) {
                file += kib(line);
            }
        }
        return new ProcStats(cpu, rss, peak, anon, file);
    }

    /** CPU time (user + system) the process has used so far, in ms; -1 when it cannot be read (ended, not Linux). */
    static long cpuMillis(long pid) {
        try {
            return Math.round(cpuSeconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) * 1000);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU seconds per thread name (digits at the end dropped, so that a pool is one entry), threads alive now. */
    static Map<String, Double> threadCpu(long pid) throws IOException {
        Map<String, Double> byName = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[-#]?\\d+$", "");
                byName.merge(name, cpuSeconds(stat), Double::sum);
            }
        }
        return byName;
    }

    private static double cpuSeconds(String stat) {
        // Fields after the command name, which is in parentheses and may contain spaces.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
    }
}
