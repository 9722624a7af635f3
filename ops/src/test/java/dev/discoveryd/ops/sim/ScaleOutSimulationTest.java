package dev.discoveryd.ops.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ScaleOutSimulationTest {
    @Test
    void theLostInstancesClustersMoveAndItsNodesAreServedAfterTheSessionTimeout() {
        ScaleOutSimulation sim = new ScaleOutSimulation(4000, 5, 4, 12, 10, 1, 7);
        ScaleOutSimulation.Report r = sim.run(2000, 1_000_000);
        assertThat(Arrays.stream(r.clustersPerInstance()).sum()).isEqualTo(4000);
        assertThat(r.clustersPerInstance()[r.lost()]).isZero();
        assertThat(r.movedPartitions()).isEqualTo(3);
        // A load balancer sends 3 of 4 first Hellos elsewhere than the owner.
        assertThat(r.redirects() / 20000.0).isBetween(0.72, 0.78);
        // Nobody is served before the group notices the loss; catch-up replays 96 refreshes per node per day.
        assertThat(r.p50Seconds()).isGreaterThanOrEqualTo(10);
        assertThat(r.recoverySeconds()).isGreaterThanOrEqualTo(r.p99Seconds());
        assertThat(r.catchUpSeconds()).isGreaterThan(0);
        assertThat(ScaleOutSimulation.format(r, 4000, 5, 4, 12, 10, 1)).contains("(lost)");
    }

    @Test
    void theRealDomainIsMeasured() {
        double[] measured = ScaleOutSimulation.measureDomain(500, 10);
        assertThat(measured[0]).isGreaterThan(100);
        assertThat(measured[1]).isGreaterThan(1000);
    }

    @Test
    void stickyReassignmentMovesOnlyTheLostMembersPartitions() {
        StickyAssignment a = new StickyAssignment(48, 16);
        int[] before = new int[48];
        for (int p = 0; p < 48; p++) {
            before[p] = a.ownerOf(p);
        }
        var moved = a.lose(5);
        assertThat(moved).hasSize(3);
        int[] load = new int[16];
        for (int p = 0; p < 48; p++) {
            load[a.ownerOf(p)]++;
            if (!moved.contains(p)) {
                assertThat(a.ownerOf(p)).isEqualTo(before[p]);
            }
        }
        assertThat(load[5]).isZero();
        assertThat(Arrays.stream(load).max().getAsInt()).isEqualTo(4);
    }
}
