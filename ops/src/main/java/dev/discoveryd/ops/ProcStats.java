package dev.discoveryd.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Another process's CPU time and memory, read from /proc (Linux): the server's cost as its own process. */
record ProcStats(double cpuSeconds, long rssBytes, long peakRssBytes) {
    /** Linux reports utime/stime in USER_HZ ticks, 100 per second on every mainstream architecture. */
    private static final double TICKS_PER_SECOND = 100;

    static ProcStats read(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // Fields after the command name, which is in parentheses and may contain spaces.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        long rss = 0;
        long peak = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = kib(line);
            } else if (line.startsWith("VmHWM:")) {
                peak = kib(line);
            }
        }
        return new ProcStats(cpu, rss, peak);
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
    }
}
