package dev.discoveryd.eventlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/** What an attacker with file access (but no key) can do to a closed log: edit bytes, or rewrite the queue. */
final class QueueSurgery {
    private QueueSurgery() {
    }

    /** The raw records of the log of {@code dataDir}, in order. */
    static List<byte[]> records(Path dataDir) {
        List<byte[]> out = new ArrayList<>();
        try (SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(LogOptions.logDir(dataDir)).build();
             ExcerptTailer t = q.createTailer()) {
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return out;
                    }
                    out.add(QueueScan.readAll(dc.wire().bytes()));
                }
            }
        }
    }

    /** Replaces the log with a fresh queue holding {@code records} (written at {@code clock}'s time). */
    static void rewrite(Path dataDir, List<byte[]> records, Clock clock) throws IOException {
        Path dir = LogOptions.logDir(dataDir);
        deleteTree(dir);
        try (SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(dir).rollCycle(RollCycles.FAST_DAILY)
                .timeProvider(clock::millis).build();
             ExcerptAppender a = q.createAppender()) {
            for (byte[] r : records) {
                try (DocumentContext dc = a.writingDocument()) {
                    dc.wire().bytes().write(r);
                }
            }
        }
    }

    /** Finds {@code record} in the log's cycle files and XORs the byte at {@code offset} within it with 0x01. */
    static void flipByte(Path dataDir, byte[] record, int offset) throws IOException {
        editInPlace(dataDir, record, offset, 1, false);
    }

    /** Finds {@code record} and zeroes its last {@code n} bytes, as a write torn by a crash would leave it. */
    static void tearEnd(Path dataDir, byte[] record, int n) throws IOException {
        editInPlace(dataDir, record, record.length - n, n, true);
    }

    private static void editInPlace(Path dataDir, byte[] record, int offset, int n, boolean zero) throws IOException {
        try (Stream<Path> files = Files.list(LogOptions.logDir(dataDir))) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".cq4"))::iterator) {
                byte[] content = Files.readAllBytes(f);
                int at = indexOf(content, record);
                if (at >= 0) {
                    for (int i = 0; i < n; i++) {
                        content[at + offset + i] = zero ? 0 : (byte) (content[at + offset + i] ^ 1);
                    }
                    Files.write(f, content);
                    return;
                }
            }
        }
        throw new IllegalStateException("record not found in any cycle file");
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
