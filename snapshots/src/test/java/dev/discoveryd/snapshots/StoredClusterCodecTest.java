package dev.discoveryd.snapshots;

import dev.discoveryd.core.Affiliate;
import dev.discoveryd.core.ClusterState;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.discoveryd.snapshots.Fixtures.affiliate;
import static dev.discoveryd.snapshots.Fixtures.cluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoredClusterCodecTest {
    private final ClusterState sample = cluster("clüster/ü", affiliate("a1", "data-one", 5_000, "10.0.0.1:51820", "[fd00::1]:51820"),
            Affiliate.empty("a-empty"),
            affiliate("a3", "", -7, "x".repeat(32)),
            Affiliate.restore("a4", new byte[200], Long.MAX_VALUE, new byte[0][], new long[0]));

    @Test
    void roundTripKeepsEveryFieldAndTheOrder() {
        ClusterState decoded = StoredClusterCodec.decode(StoredClusterCodec.encode(sample));

        assertThat(decoded).isEqualTo(sample);
        assertThat(decoded.affiliates()).extracting(Affiliate::id).containsExactly("a1", "a-empty", "a3", "a4");
        assertThat(decoded.affiliate("a1").endpointExpiresAt(1)).isEqualTo(4_999);
        assertThat(decoded.affiliate("a-empty").expiresAt()).isEqualTo(Long.MIN_VALUE);
        assertThat(StoredClusterCodec.clusterId(StoredClusterCodec.encode(sample))).isEqualTo("clüster/ü");
    }

    @Test
    void manyAffiliatesAndLongValuesUseMultiByteLengths() {
        ClusterState big = Fixtures.clusters(1, 300, "x").get(0);
        big.restore(Affiliate.restore("long", new byte[70_000], 1, new byte[][]{new byte[200]}, new long[]{2}));

        assertThat(StoredClusterCodec.decode(StoredClusterCodec.encode(big))).isEqualTo(big);
    }

    @Test
    void everyTruncationIsRejected() {
        byte[] encoded = StoredClusterCodec.encode(sample);
        for (int length = 0; length < encoded.length; length++) {
            byte[] truncated = Arrays.copyOf(encoded, length);
            assertThatThrownBy(() -> StoredClusterCodec.decode(truncated)).as("length %d", length)
                    .isInstanceOf(SnapshotFormatException.class);
        }
    }

    @Test
    void trailingBytesAndUnknownVersionsAreRejected() {
        byte[] encoded = StoredClusterCodec.encode(sample);
        byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
        assertThatThrownBy(() -> StoredClusterCodec.decode(longer)).isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("trailing");
        encoded[0] = 9;
        assertThatThrownBy(() -> StoredClusterCodec.decode(encoded)).isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("version 9");
    }

    @Test
    void aDeferredClusterIsCountedWithoutBuildingAndReadsAsTheDecodedOneInsideALargerBuffer() {
        byte[] encoded = StoredClusterCodec.encode(sample);
        byte[] slab = new byte[encoded.length + 100];
        Arrays.fill(slab, (byte) 0x7F);
        System.arraycopy(encoded, 0, slab, 40, encoded.length);

        ClusterState deferred = StoredClusterCodec.deferred(java.nio.ByteBuffer.wrap(slab), 40, encoded.length);
        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(slab.length).put(slab).clear();
        assertThat(StoredClusterCodec.deferred(direct, 40, encoded.length)).as("off the heap").isEqualTo(sample);

        assertThat(deferred.isDeferred()).isTrue();
        assertThat(deferred.id()).isEqualTo("clüster/ü");
        assertThat(deferred.size()).isEqualTo(4);
        assertThat(deferred.endpointCount()).isEqualTo(3);
        assertThat(deferred.isDeferred()).as("counts come from the check, not from building").isTrue();
        assertThat(deferred).isEqualTo(sample);
        assertThat(deferred.isDeferred()).isFalse();
        assertThat(deferred.affiliates()).extracting(Affiliate::id).containsExactly("a1", "a-empty", "a3", "a4");
    }

    @Test
    void everyTruncationIsRejectedByTheDeferredCheckAsWellEvenWithBytesAfterIt() {
        byte[] encoded = StoredClusterCodec.encode(sample);
        byte[] slab = Arrays.copyOf(encoded, encoded.length * 2);
        System.arraycopy(encoded, 0, slab, encoded.length, encoded.length);
        for (int length = 0; length < encoded.length; length++) {
            int n = length;
            assertThatThrownBy(() -> StoredClusterCodec.deferred(java.nio.ByteBuffer.wrap(slab), 0, n)).as("length %d", length)
                    .isInstanceOf(SnapshotFormatException.class);
        }
        assertThatThrownBy(() -> StoredClusterCodec.deferred(java.nio.ByteBuffer.wrap(slab), 0, encoded.length + 1))
                .isInstanceOf(SnapshotFormatException.class).hasMessageContaining("trailing");
    }

    @Test
    void aDeferredClusterKnowsItsEarliestExpirationOverAffiliatesAndEndpoints() {
        byte[] encoded = StoredClusterCodec.encode(cluster("x", affiliate("a1", "data-one", 5_000, "10.0.0.1:51820", "[fd00::1]:51820")));
        ClusterState deferred = StoredClusterCodec.deferred(java.nio.ByteBuffer.wrap(encoded), 0, encoded.length);
        long earliest = Math.min(5_000, Math.min(deferred.copy().affiliate("a1").endpointExpiresAt(0),
                deferred.copy().affiliate("a1").endpointExpiresAt(1)));

        assertThat(deferred.expiresNothingBefore(earliest)).isTrue();
        assertThat(deferred.expiresNothingBefore(earliest + 1)).isFalse();
        assertThat(deferred.isDeferred()).isTrue();
    }
}
