package dev.discoveryd.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.discoveryd.nodeclient.format.KubeSpanAddressing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityStoreTest {
    private static final String TALOS_CLUSTER = "8XuV9TZHW08DOk3bVxQjH9ih_TBKjnh-j44tsCLSBzo=";
    private static final byte[] MAC = KubeSpanAddressing.parseMac("2e:1a:b6:53:81:69");

    @TempDir
    Path dir;

    @Test
    void nodeIdIsCreatedOnceWith0600AndReused() throws Exception {
        String id = NodeIdentityStore.loadOrCreate(dir);
        assertThat(id.length()).isBetween(43, 52);
        assertThat(NodeIdentityStore.loadOrCreate(dir)).isEqualTo(id);
        Path file = dir.resolve(NodeIdentityStore.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).isEqualTo("nodeId: " + id + "\n");
    }

    @Test
    void corruptNodeIdIsAnErrorAndTheFileIsKept() throws Exception {
        Path file = dir.resolve(NodeIdentityStore.FILE);
        Files.writeString(file, "nodeId: [not, a, string]\n");
        assertThatThrownBy(() -> NodeIdentityStore.loadOrCreate(dir)).isInstanceOf(IdentityException.class)
                .hasMessageContaining("no nodeId");
        assertThat(Files.readString(file)).isEqualTo("nodeId: [not, a, string]\n");
        Files.writeString(file, "nodeId: bad-id!\n");
        assertThatThrownBy(() -> NodeIdentityStore.loadOrCreate(dir)).hasMessageContaining("not base62");
    }

    /** ksad/identity_test.go and ula_test.go: the Talos vectors. */
    @Test
    void kubespanIdentityAddressFromClusterIdAndMac() throws Exception {
        KubeSpanIdentity identity = KubeSpanIdentityStore.loadOrCreate(dir, TALOS_CLUSTER, MAC);
        assertThat(identity.subnet()).hasToString("fd7f:175a:b97c:5602:0:0:0:0/64".replace(":0:0:0:0", "::"));
        assertThat(identity.address()).hasToString("fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169/128");
        assertThat(identity.linkAddress()).hasToString("fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169/64");
        assertThat(KeyPairs.publicOf(identity.privateKey())).isEqualTo(identity.publicKey());
        Path file = dir.resolve(KubeSpanIdentityStore.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        // Same keys after a restart; the address follows the (new) cluster ID, whatever the file says.
        KubeSpanIdentity again = KubeSpanIdentityStore.loadOrCreate(dir, "abc", KubeSpanAddressing.parseMac("02:42:ac:14:00:05"));
        assertThat(again.privateKey()).isEqualTo(identity.privateKey());
        assertThat(again.address()).hasToString("fd03:61a3:9617:7a02:42:acff:fe14:5/128");
    }

    @Test
    void wireGuardPublicKeyOfAKnownPrivateKey() {
        // RFC 7748 section 6.1 (Alice): a clamped private key and its public key.
        byte[] alice = java.util.HexFormat.of().parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        assertThat(KeyPairs.publicOf(dev.discoveryd.agent.port.WireGuardKey.of(alice)).hex())
                .isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    }

    /** The pair from the Talos docs' `get kubespanidentities -o yaml` example. */
    @Test
    void talosDocsKeyPairIsAcceptedAndAMismatchIsAnError() throws Exception {
        Path file = dir.resolve(KubeSpanIdentityStore.FILE);
        Files.writeString(file, "privateKey: gNoasoKOJzl+/B+uXhvsBVxv81OcVLrlcmQ5jQwZO08=\n"
                + "publicKey: NzW8oeIH5rJyY5lefD9WRoHWWRr/Q6DwsDjMX+xKjT4=\n");
        assertThat(KubeSpanIdentityStore.loadOrCreate(dir, TALOS_CLUSTER, MAC).publicKey().base64())
                .isEqualTo("NzW8oeIH5rJyY5lefD9WRoHWWRr/Q6DwsDjMX+xKjT4=");
        Files.writeString(file, "privateKey: gNoasoKOJzl+/B+uXhvsBVxv81OcVLrlcmQ5jQwZO08=\n"
                + "publicKey: 06D9QQOydzKrOL7oeLiqHy9OWE8KtmJzZII2A5/FLFI=\n");
        assertThatThrownBy(() -> KubeSpanIdentityStore.loadOrCreate(dir, TALOS_CLUSTER, MAC))
                .isInstanceOf(IdentityException.class).hasMessageContaining("publicKey does not belong");
    }
}
