package dev.discoveryd.ops;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The server-side figures of the fleet benchmark, read from /proc for this very process. */
class ProcStatsTest {
    @Test
    void readsCpuTimeAndResidentMemoryOfAProcess() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "no /proc (not Linux): skipping");
        long pid = ProcessHandle.current().pid();
        ProcStats before = ProcStats.read(pid);
        long sum = 0;
        for (int i = 0; i < 50_000_000; i++) {
            sum += i ^ (sum >>> 3);
        }
        ProcStats after = ProcStats.read(pid);
        assertThat(sum).isNotZero();
        assertThat(after.cpuSeconds()).isGreaterThan(before.cpuSeconds()).isPositive();
        long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertThat(after.rssBytes()).isGreaterThan(heap / 2).isLessThanOrEqualTo(after.peakRssBytes());
    }
}
