package dev.discoveryd.agent.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.discoveryd.nodeclient.format.IpText;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EndpointFilterTest {
    private static final List<InetAddress> IPS = ips("10.0.0.1", "192.168.1.2", "10.0.0.3", "2001:db8::1", "fd00::1");

    @Test
    void resultStartsEmptyAndIsGroupedByTheFilterThatAdmitted() {
        assertThat(EndpointFilter.apply(IPS, List.of("::/0", "0.0.0.0/0")))
                .containsExactlyElementsOf(ips("2001:db8::1", "fd00::1", "10.0.0.1", "192.168.1.2", "10.0.0.3"));
    }

    @Test
    void negativeRemovesOnlyWhatWasAlreadyAdded() {
        assertThat(EndpointFilter.apply(IPS, List.of("!192.168.0.0/16"))).isEmpty();
        assertThat(EndpointFilter.apply(IPS, List.of("0.0.0.0/0", "!192.168.0.0/16")))
                .containsExactlyElementsOf(ips("10.0.0.1", "10.0.0.3"));
    }

    @Test
    void laterPositiveReAddsAndBareIpIsAFilter() {
        assertThat(EndpointFilter.apply(IPS, List.of("0.0.0.0/0", "!192.168.0.0/16", "192.168.1.2")))
                .containsExactlyElementsOf(ips("10.0.0.1", "10.0.0.3", "192.168.1.2"));
    }

    @Test
    void badFilterNamesItself() {
        assertThatThrownBy(() -> EndpointFilter.parse("!10.0.0.0/33")).hasMessageContaining("!10.0.0.0/33");
        assertThatThrownBy(() -> EndpointFilter.parse("example.com")).hasMessageContaining("example.com");
    }

    static List<InetAddress> ips(String... text) {
        return Stream.of(text).map(IpText::parse).toList();
    }
}
