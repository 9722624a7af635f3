package dev.discoveryd.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.discoveryd.agent.core.AffiliateSpec;
import dev.discoveryd.agent.core.KubeSpanSpec;
import dev.discoveryd.nodeclient.format.ClusterSecret;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerCacheTest {
    private static final ClusterSecret SECRET = ClusterSecret.fromBase64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    private static final AffiliateSpec SPEC = new AffiliateSpec("node-b", List.of(IpText.parse("10.0.0.2")), "b.example",
            "b", "Talos (v1.12.3)", "worker", new KubeSpanSpec("NzW8oeIH5rJyY5lefD9WRoHWWRr/Q6DwsDjMX+xKjT4=",
            Optional.of(IpText.parse("fd50::2")), List.of(), List.of(NodeEndpoint.parse("10.0.0.2:51820")), List.of()),
            OptionalInt.empty());

    @TempDir
    Path dir;

    @Test
    void roundTripIsEncrypted0600AndExpiresByTtl() throws Exception {
        PeerCache cache = new PeerCache(dir, SECRET);
        cache.save(List.of(new CacheEntry("service/a/node-b", NOW.plusSeconds(60), SPEC),
                new CacheEntry("service/a/node-c", NOW.minusSeconds(1), SPEC)), NOW);
        Path file = dir.resolve(PeerCache.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain("b.example", "10.0.0.2");
        List<CacheEntry> loaded = cache.load(NOW);
        assertThat(loaded).singleElement().satisfies(e -> {
            assertThat(e.rawId()).isEqualTo("service/a/node-b");
            assertThat(e.spec()).isEqualTo(SPEC);
        });
        assertThat(cache.load(NOW.plusSeconds(61))).isEmpty();
    }

    @Test
    void unreadableCacheIsOneWarningAndIsMovedAsideNotDeleted() throws Exception {
        new PeerCache(dir, SECRET).save(List.of(new CacheEntry("service/a/node-b", NOW.plusSeconds(60), SPEC)), NOW);
        byte[] sealed = Files.readAllBytes(dir.resolve(PeerCache.FILE));
        PeerCache otherCluster = new PeerCache(dir, ClusterSecret.fromBytes(new byte[32]));
        assertThatThrownBy(() -> otherCluster.load(NOW)).isInstanceOf(CacheException.class)
                .hasMessageContaining("unreadable").hasMessageContaining("moved to");
        assertThat(dir.resolve(PeerCache.FILE)).doesNotExist();
        assertThat(Files.readAllBytes(dir.resolve(PeerCache.FILE + ".unreadable"))).isEqualTo(sealed);
        assertThat(otherCluster.load(NOW)).isEmpty();
    }
}
