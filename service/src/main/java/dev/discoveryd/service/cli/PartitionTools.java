package dev.discoveryd.service.cli;

import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.View;
import dev.discoveryd.eventlog.tools.BlobDecoder;
import dev.discoveryd.eventlog.tools.EventSource;
import dev.discoveryd.eventlog.tools.ExitCodes;
import dev.discoveryd.eventlog.tools.ViewJson;
import dev.discoveryd.kafka.PartitionLog;
import dev.discoveryd.service.persistence.KeyRingCipher;
import dev.discoveryd.service.scaleout.PartitionSnapshots;
import dev.discoveryd.crypto.KeyRing;

import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** {@code log verify} and {@code replay} on one partition of the replicated log ({@code --log=kafka}). */
final class PartitionTools {
    private PartitionTools() {
    }

    /**
     * Reads the partition from the start of retention with every record authenticated and the chain checked, and
     * checks it still reaches the offset this data directory's snapshot of it covers (records cut off the end).
     */
    static int verify(PartitionLog partition, String topic, Path dataDir, KeyRing keys, PrintStream out) {
        long[] events = {0, -1, -1};
        String where = "partition " + partition.partition() + " of " + topic;
        try {
            partition.scan(ce -> {
                events[0]++;
                events[1] = events[1] < 0 ? ce.index() : events[1];
                events[2] = ce.index();
            });
        } catch (RuntimeException e) {
            int code = EventSource.exitCodeOf(e);
            out.println((code == ExitCodes.CORRUPT ? "BAD " : "cannot verify ") + where + ": " + e.getMessage());
            return code;
        }
        long end = partition.endOffset();
        String reached = "";
        PartitionSnapshots snapshots = new PartitionSnapshots(dataDir, topic, new KeyRingCipher(keys));
        if (Files.isDirectory(snapshots.dir(partition.partition()))) {
            PartitionSnapshots.Start start = snapshots.load(partition.partition());
            long covered = start.fromSnapshot() ? start.covered().offset(partition.partition()) : LogPosition.NONE_OFFSET;
            if (covered != LogPosition.NONE_OFFSET && covered >= end) {
                out.println("BAD " + where + ": it ends at offset " + end + " but the snapshot in "
                        + snapshots.dir(partition.partition()) + " covers offset " + covered
                        + " (records cut off the end, or another topic of that name)");
                return ExitCodes.CORRUPT;
            }
            if (covered != LogPosition.NONE_OFFSET) {
                reached = ", reaches the offset the snapshot in " + snapshots.dir(partition.partition()) + " covers ("
                        + covered + ")";
            }
        }
        out.println("ok: " + where + ": " + events[0] + " events" + (events[0] > 0 ? " at offsets " + events[1] + ".."
                + events[2] : "") + " from offset " + partition.beginningOffset() + " to the end (" + end + ")"
                + reached);
        return ExitCodes.OK;
    }

    /** The partition's clusters as they were at {@code until}, as JSON (the {@code replay} format). */
    static int replay(PartitionLog partition, Instant until, String cluster, BlobDecoder decoder, Writer out,
                      PrintStream err) {
        View view = new View();
        long limit = until.toEpochMilli();
        try {
            partition.scan(ce -> {
                if (ce.event().time() <= limit) {
                    view.evolve(ce.event());
                }
            });
        } catch (RuntimeException e) {
            err.println("cannot replay partition " + partition.partition() + ": " + e.getMessage());
            return EventSource.exitCodeOf(e);
        }
        ViewJson.write(view, until, -1, out, cluster, decoder);
        return ExitCodes.OK;
    }
}
