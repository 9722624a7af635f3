package dev.discoveryd.nodeclient.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerAddressTest {
    @Test
    void urlsPickTransportAndDefaultPort() {
        assertThat(ServerAddress.parse("https://discovery.talos.dev/", false)).isEqualTo(new ServerAddress("discovery.talos.dev", 443, true));
        assertThat(ServerAddress.parse("https://h:8443", true)).isEqualTo(new ServerAddress("h", 8443, true));
        assertThat(ServerAddress.parse("http://127.0.0.1", false)).isEqualTo(new ServerAddress("127.0.0.1", 80, false));
        assertThat(ServerAddress.parse("http://[::1]:3000", false)).isEqualTo(new ServerAddress("::1", 3000, false));
    }

    @Test
    void bareHostPortUsesTlsUnlessPlaintextRequested() {
        assertThat(ServerAddress.parse("127.0.0.1:3000", false)).isEqualTo(new ServerAddress("127.0.0.1", 3000, true));
        assertThat(ServerAddress.parse("127.0.0.1:3000", true)).isEqualTo(new ServerAddress("127.0.0.1", 3000, false));
        assertThat(ServerAddress.parse("[::1]:3000", true)).isEqualTo(new ServerAddress("::1", 3000, false));
        assertThat(ServerAddress.parse("example.org", false)).isEqualTo(new ServerAddress("example.org", 443, true));
    }

    @Test
    void redirectKeepsTransport() {
        ServerAddress plain = ServerAddress.parse("http://127.0.0.1:1", false);
        assertThat(plain.redirectTo("discovery-2.example.org:443")).isEqualTo(new ServerAddress("discovery-2.example.org", 443, false));
        assertThat(plain.toString()).isEqualTo("http://127.0.0.1:1");
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> ServerAddress.parse("grpc://h:1", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerAddress.parse("h:notaport", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerAddress.parse("h:0", false)).isInstanceOf(IllegalArgumentException.class);
    }
}
