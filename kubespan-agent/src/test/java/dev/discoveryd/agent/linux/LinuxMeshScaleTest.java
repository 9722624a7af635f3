package dev.discoveryd.agent.linux;

import com.sun.management.OperatingSystemMXBean;
import dev.discoveryd.agent.port.DataPlaneState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Time to a full mesh of 10 hosts, and the CPU one reconcile costs (our JVM plus the ip/nft it runs). */
@Tag("slow")
class LinuxMeshScaleTest extends MeshTestSupport {

    @Test
    void tenHostsFormAFullMeshAndAnUnchangedReconcileIsCheap() throws Exception {
        mesh(10);
        long ms = formMesh();
        System.out.printf("[mesh] 10 hosts: full mesh (apply + all 90 ordered pairs pinging over KubeSpan) in %d ms%n", ms);

        MeshNode a = nodes.get(0);
        DataPlaneState want = a.desired(nodes, psk, o -> true);
        int peers = want.wireGuard().peers().size();
        int rounds = 20;
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            a.plane.apply(want);
        }
        long wall = (System.nanoTime() - t0) / rounds;
        long cpu = (cpuNanos() - cpu0) / rounds;
        System.out.printf("[mesh] unchanged reconcile with %d peers: %.1f ms CPU (JVM + ip/nft children), %.1f ms wall;"
                + " %.2f ms CPU per peer%n", peers, cpu / 1e6, wall / 1e6, cpu / 1e6 / peers);

        long w0 = cpuNanos();
        for (int i = 0; i < rounds; i++) {
            a.plane.wireGuard().peerStats();
        }
        System.out.printf("[mesh] peer statistics read (UAPI get, no process): %.3f ms CPU for %d peers%n",
                (cpuNanos() - w0) / rounds / 1e6, peers);
        assertThat(a.plane.wireGuard().peerStats()).hasSize(peers)
                .allSatisfy(s -> assertThat(s.lastHandshake()).isPresent());
    }

    /** This JVM's CPU plus that of its reaped children (utime+stime of /proc/self/stat fields 16-17, in ticks). */
    private static long cpuNanos() throws Exception {
        long jvm = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[13]) + Long.parseLong(f[14]); // cutime, cstime (fields 16, 17)
        return jvm + ticks * 10_000_000L; // USER_HZ is 100 on Linux
    }
}
