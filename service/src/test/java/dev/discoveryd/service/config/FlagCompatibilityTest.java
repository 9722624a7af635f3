package dev.discoveryd.service.config;

import dev.discoveryd.api.GoDuration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reference flags as operators type them: -flag or --flag, =value or a separate value, Go durations. */
class FlagCompatibilityTest {

    private static ServerConfig parse(String... args) {
        ServeOptions options = new ServeOptions();
        new CommandLine(options).setPosixClusteredShortOptionsAllowed(false).parseArgs(args);
        return options.toConfig();
    }

    @Test
    void singleAndDoubleDashWithEqualsOrSpace() {
        ServerConfig c = parse("-addr", ":4000", "--landing-addr=", "-metrics-addr=127.0.0.1:9090",
                "--gc-interval", "1h30m", "-trust-x-real-ip=false", "--trust-first-x-forwarded-for", "false",
                "-redirect-endpoint=discovery-2.example.org:443", "-debug");
        assertThat(c.grpc()).isEqualTo(new ListenAddress("0.0.0.0", 4000));
        assertThat(c.landing()).isNull();
        assertThat(c.metrics()).isEqualTo(new ListenAddress("127.0.0.1", 9090));
        assertThat(c.gcInterval()).isEqualTo(Duration.ofMinutes(90));
        assertThat(c.trustXRealIp()).isFalse();
        assertThat(c.trustFirstXForwardedFor()).isFalse();
        assertThat(c.redirectEndpoint()).isEqualTo("discovery-2.example.org:443");
        assertThat(c.debug()).isTrue();
    }

    @Test
    void defaultsMatchTheReference() {
        ServerConfig c = parse();
        assertThat(c.grpc().port()).isEqualTo(3000);
        assertThat(c.landing().port()).isEqualTo(3001);
        assertThat(c.metrics().port()).isEqualTo(2122);
        assertThat(c.gcInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.trustXRealIp()).isTrue();
        assertThat(c.trustFirstXForwardedFor()).isTrue();
        assertThat(c.redirectEndpoint()).isNull();
        assertThat(c.persistence().snapshotsEnabled()).isTrue();
    }

    @Test
    void snapshotPathMapsOntoTheDataDirectory() {
        ServerConfig c = parse("--snapshot-path=/var/lib/discovery/state.binpb", "-snapshot-interval=10m", "-snapshots-enabled=false");
        assertThat(c.persistence().dataDir()).isEqualTo(Path.of("/var/lib/discovery"));
        assertThat(c.persistence().snapshotInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.persistence().snapshotsEnabled()).isFalse();
    }

    @Test
    void goDurations() {
        assertThat(GoDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(GoDuration.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(GoDuration.parse("2h45m30s")).isEqualTo(Duration.ofSeconds(2 * 3600 + 45 * 60 + 30));
        assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(GoDuration.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThatThrownBy(() -> GoDuration.parse("10")).hasMessageContaining("invalid duration");
        assertThatThrownBy(() -> GoDuration.parse("1m30")).hasMessageContaining("invalid duration");
        assertThat(GoDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    }

    @Test
    void badAddressesAreExplained() {
        assertThatThrownBy(() -> parse("--addr=3000")).hasMessageContaining("needs a port");
        assertThatThrownBy(() -> parse("--addr=:99999")).hasMessageContaining("outside");
        assertThatThrownBy(() -> parse("--log-sync=sometimes")).hasMessageContaining("always, periodic or never");
    }
}
