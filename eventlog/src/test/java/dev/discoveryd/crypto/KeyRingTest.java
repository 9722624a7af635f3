package dev.discoveryd.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingTest {
    private static final byte[] AAD = "header".getBytes(StandardCharsets.UTF_8);
    private final byte[] secret = "cluster-1234 affiliate data".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void sealOpensOnlyWithTheSameAssociatedDataAndUnmodifiedBytes() {
        KeyRing ring = KeyRing.generate(7);
        byte[] sealed = ring.seal(secret, AAD);
        assertThat(sealed).hasSize(secret.length + 2 + 12 + 16);
        assertThat(sealed[0] << 8 | sealed[1]).isEqualTo(7);
        assertThat(ring.open(sealed, AAD)).isEqualTo(secret);
        assertThat(ring.seal(secret, AAD)).isNotEqualTo(sealed);
        assertThatThrownBy(() -> ring.open(sealed, "other".getBytes(StandardCharsets.UTF_8))).isInstanceOf(SealException.class);
        byte[] modified = sealed.clone();
        modified[20] ^= 1;
        assertThatThrownBy(() -> ring.open(modified, AAD)).isInstanceOf(SealException.class);
        assertThatThrownBy(() -> KeyRing.generate(7).open(sealed, AAD)).isInstanceOf(SealException.class);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void openIntoReadsTheSealedRangeAndWritesThePlaintextAtThePositionAndRefusesWhatOpenRefuses(boolean direct) {
        KeyRing ring = KeyRing.generate(3);
        byte[] sealed = ring.seal(secret, AAD);
        byte[] around = new byte[7 + sealed.length + 3];
        System.arraycopy(sealed, 0, around, 7, sealed.length);
        int room = 5 + sealed.length;
        // A heap buffer that is a slice at an offset of its array: the plaintext goes at arrayOffset + position.
        java.nio.ByteBuffer out = (direct ? java.nio.ByteBuffer.allocateDirect(room)
                : java.nio.ByteBuffer.allocate(room + 11).position(11).slice()).position(5);

        int length = ring.openInto(around, 7, sealed.length, AAD, out);

        assertThat(length).isEqualTo(secret.length);
        assertThat(out.position()).isEqualTo(5 + secret.length);
        byte[] opened = new byte[length];
        out.get(5, opened);
        assertThat(opened).isEqualTo(secret);
        around[20] ^= 1;
        assertThatThrownBy(() -> ring.openInto(around, 7, sealed.length, AAD, out.clear()))
                .isInstanceOf(SealException.class);
        assertThatThrownBy(() -> ring.openInto(sealed, 0, sealed.length, "other".getBytes(StandardCharsets.UTF_8),
                out.clear())).isInstanceOf(SealException.class);
        assertThatThrownBy(() -> KeyRing.generate(3).openInto(sealed, 0, sealed.length, AAD, out.clear()))
                .isInstanceOf(SealException.class);
        // Refused: the position stays; too little room is refused before anything is written.
        assertThat(out.position()).isZero();
        around[20] ^= 1;
        assertThatThrownBy(() -> ring.openInto(around, 7, sealed.length, AAD, out.clear().limit(secret.length - 1)))
                .isInstanceOf(SealException.class).hasMessageContaining("no room");
        assertThat(ring.openInto(around, 7, sealed.length, AAD, out.clear().position(1))).isEqualTo(secret.length);
        byte[] again = new byte[secret.length];
        out.get(1, again);
        assertThat(again).isEqualTo(secret);
    }

    @Test
    void rotationSealsUnderTheNewestAndOpensUnderAll() {
        KeyRing old = KeyRing.generate(1);
        byte[] sealedOld = old.seal(secret, AAD);
        KeyRing rotated = old.withNewest(KeyRing.generate(2));
        assertThat(rotated.newestKeyId()).isEqualTo(2);
        byte[] sealedNew = rotated.seal(secret, AAD);
        assertThat(sealedNew[1]).isEqualTo((byte) 2);
        assertThat(rotated.open(sealedOld, AAD)).isEqualTo(secret);
        assertThat(rotated.open(sealedNew, AAD)).isEqualTo(secret);
        assertThatThrownBy(() -> old.open(sealedNew, AAD)).hasMessageContaining("not configured");

        assertThat(rotated.mac(1, secret)).isEqualTo(old.mac(secret));
        assertThat(rotated.mac(secret)).isNotEqualTo(old.mac(secret)).hasSize(32);
        assertThat(rotated.blind("cluster", secret)).isEqualTo(old.blind("cluster", secret));
    }

    @Test
    void blindIsDeterministicKeyedAndSeparatedByContext() {
        KeyRing ring = KeyRing.generate(1);
        assertThat(ring.blind("cluster", secret)).isEqualTo(ring.blind("cluster", secret)).hasSize(32);
        assertThat(ring.blind("affiliate", secret)).isNotEqualTo(ring.blind("cluster", secret));
        assertThat(KeyRing.generate(1).blind("cluster", secret)).isNotEqualTo(ring.blind("cluster", secret));
        assertThat(ring.blind("cluster", secret)).isNotEqualTo(ring.mac(secret));
    }

    @Test
    void generatesAPrivateKeyFileOnceAndReusesIt() throws Exception {
        KeyRing first = KeyRing.loadOrCreate(dir, List.of());
        Path file = dir.resolve(KeyRing.GENERATED_KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        KeyRing again = KeyRing.loadOrCreate(dir, List.of());
        assertThat(again.open(first.seal(secret, AAD), AAD)).isEqualTo(secret);
    }

    @Test
    void loadsConfiguredFilesOldestFirst() throws Exception {
        Path a = Files.writeString(dir.resolve("a.key"), "# old keys\n" + KeyRing.newKeyLine(1) + "\n\n");
        Path b = Files.writeString(dir.resolve("b.key"), KeyRing.newKeyLine(3) + "\n" + KeyRing.newKeyLine(2) + "\n");
        KeyRing ring = KeyRing.loadOrCreate(dir, List.of(a, b));
        assertThat(ring.newestKeyId()).isEqualTo(2);
        assertThat(ring.hasKey(1) && ring.hasKey(3)).isTrue();
        assertThat(Files.exists(dir.resolve(KeyRing.GENERATED_KEY_FILE))).isFalse();
    }

    @Test
    void rejectsMalformedKeys() {
        assertThatThrownBy(() -> KeyRing.parse("1:c2hvcnQ=")).hasMessageContaining("expected 32");
        assertThatThrownBy(() -> KeyRing.parse("nokey")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> KeyRing.parse("# nothing\n")).hasMessageContaining("no at-rest key");
        String line = KeyRing.newKeyLine(4);
        assertThatThrownBy(() -> KeyRing.parse(line + "\n" + line)).hasMessageContaining("twice");
        assertThatThrownBy(() -> KeyRing.parse(KeyRing.newKeyLine(70000))).hasMessageContaining("outside");
    }
}
