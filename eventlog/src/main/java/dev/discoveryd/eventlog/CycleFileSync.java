package dev.discoveryd.eventlog;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import net.openhft.chronicle.queue.ExcerptAppender;

/**
 * Puts on disk everything the appender has written: an fdatasync of its cycle file (and, after a roll, of the file
 * before it), not an msync of the chunk it maps now. The queue is opened without Chronicle's own syncing
 * ({@code SyncMode.NONE}, see {@link QueueFiles}), which msynced each 4 MiB chunk on its release from a background
 * thread while the chunk was still mapped: writing back a mapped page write-protects it, one TLB shoot-down of every
 * core running the service per page (about a tenth of the service's CPU under one-cluster update load, most of it
 * interrupting the event loops), and the appender's sync covered only the current chunk, so records in a chunk
 * released just before a sync were acknowledged before that chunk's msync had run. Syncing the file covers every
 * chunk, released ones included (their pages are no longer mapped, so writing them back costs no shoot-down).
 * The first sync of a file also syncs its directory: a cycle file the queue has just created is only found again
 * after a power cut if its directory entry is on disk too.
 * Writer thread only.
 */
final class CycleFileSync implements AutoCloseable {
    private File file;
    private FileChannel channel;
    private boolean directoryPending;

    /** Forces the records written so far to disk; throws when the file system refuses. */
    void sync(ExcerptAppender appender) {
        File current = appender.currentFile();
        if (current == null) {
            return; // nothing written yet
        }
        try {
            if (!current.equals(file)) {
                if (channel != null) {
                    channel.force(false); // the cycle the appender rolled away from: its last records
                    close();
                }
                channel = FileChannel.open(current.toPath(), StandardOpenOption.WRITE);
                file = current;
                directoryPending = true;
            }
            channel.force(false);
            if (directoryPending) {
                forceDirectory(current);
                directoryPending = false;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync " + current + ": " + e.getMessage(), e);
        }
    }

    private static void forceDirectory(File current) throws IOException {
        File dir = current.getAbsoluteFile().getParentFile();
        try (FileChannel d = FileChannel.open(dir.toPath(), StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    @Override
    public void close() {
        FileChannel c = channel;
        channel = null;
        file = null;
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // only a descriptor of a file that stays as it is
            }
        }
    }
}
