package dev.discoveryd.ops.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A model of the consumer group's assignment (the broker's uniform assignor is sticky): partitions spread evenly over
 * the live members; when a member goes, only its partitions move, each to the least loaded survivor.
 */
final class StickyAssignment {
    private final int[] owner;
    private final boolean[] live;

    StickyAssignment(int partitions, int instances) {
        owner = new int[partitions];
        live = new boolean[instances];
        Arrays.fill(live, true);
        for (int p = 0; p < partitions; p++) {
            owner[p] = p % instances;
        }
    }

    int ownerOf(int partition) {
        return owner[partition];
    }

    boolean isLive(int instance) {
        return live[instance];
    }

    int instances() {
        return live.length;
    }

    /** Removes {@code instance}; returns the partitions that moved, each now at its new owner. */
    List<Integer> lose(int instance) {
        live[instance] = false;
        int[] load = new int[live.length];
        for (int o : owner) {
            load[o]++;
        }
        List<Integer> moved = new ArrayList<>();
        for (int p = 0; p < owner.length; p++) {
            if (owner[p] != instance) {
                continue;
            }
            int best = -1;
            for (int i = 0; i < live.length; i++) {
                if (live[i] && (best < 0 || load[i] < load[best])) {
                    best = i;
                }
            }
            owner[p] = best;
            load[best]++;
            moved.add(p);
        }
        return moved;
    }
}
