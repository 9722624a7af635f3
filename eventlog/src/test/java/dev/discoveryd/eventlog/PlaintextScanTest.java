package dev.discoveryd.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.port.EventLogContract;
import dev.discoveryd.crypto.KeyRing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No cluster ID, affiliate ID, data or endpoint written during the test appears in any file under the data dir. */
class PlaintextScanTest {
    @TempDir
    Path dataDir;

    @Test
    void nothingSecretIsOnDiskInPlaintext() throws IOException {
        Random random = new Random(11);
        List<byte[]> secrets = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        long t = 1_780_000_000_000L;
        for (int i = 0; i < 40; i++) {
            String cluster = "cluster-" + UUID.randomUUID();
            String affiliate = "affiliate-" + UUID.randomUUID();
            byte[] data = new byte[200];
            random.nextBytes(data);
            byte[] endpoint = new byte[18];
            random.nextBytes(endpoint);
            secrets.add(cluster.getBytes(StandardCharsets.UTF_8));
            secrets.add(affiliate.getBytes(StandardCharsets.UTF_8));
            secrets.add(data);
            secrets.add(endpoint);
            events.add(new Event.AffiliateUpdated(cluster, affiliate, t + i, data, List.of(endpoint), t + 60_000));
            events.add(new Event.EndpointsExpired(cluster, affiliate, t + i + 1, 1));
            events.add(new Event.AffiliateDeleted(cluster, affiliate, t + i + 2));
        }
        KeyRing keys = KeyRing.loadOrCreate(dataDir, List.of());
        try (ChronicleEventLog log = ChronicleEventLog.open(LogOptions.defaults(dataDir, keys))) {
            EventLogContract.appendAll(log, events);
            assertThat(EventLogContract.replayAll(log)).hasSize(events.size());
        }

        List<Path> files;
        try (Stream<Path> walk = Files.walk(dataDir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).anyMatch(p -> p.toString().endsWith(".cq4"));
        long scanned = 0;
        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            scanned += content.length;
            // Latin-1 maps bytes 1:1 to chars, so String.indexOf is a fast byte search.
            String haystack = new String(content, StandardCharsets.ISO_8859_1);
            for (byte[] secret : secrets) {
                assertThat(haystack.indexOf(new String(secret, StandardCharsets.ISO_8859_1)))
                        .as("secret found in %s", file).isEqualTo(-1);
            }
        }
        assertThat(scanned).isGreaterThan(0);
        // The scan itself can find things: the plaintext encoding of an event contains its cluster id.
        byte[] plaintext = dev.discoveryd.core.codec.EventCodec.encode(events.get(0));
        assertThat(QueueSurgery.indexOf(plaintext, secrets.get(0))).isPositive();
    }
}
