package dev.discoveryd.nodeclient.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.nodeclient.TestVectors;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestsTest {
    private static final String CLUSTER = TestVectors.root().get("cluster_id_text").asText();

    @Test
    void helloMatchesWireVector() {
        assertThat(Requests.hello(CLUSTER, "v1.11.0").toByteArray()).isEqualTo(wire("HelloRequest"));
    }

    @Test
    void localUpdateMatchesWireVector() {
        byte[] blob = TestVectors.hex(TestVectors.root().get("affiliate_data").get("blob"));
        byte[] endpoint = TestVectors.hex(TestVectors.root().get("endpoints").get(0).get("encrypted"));
        AffiliateUpdateRequest request = Requests.update(CLUSTER, "7x1SuC8Ege5BGXdAfTEff5iQnlWZLfv9h1LGy3Hg5ke",
                Arrays.copyOf(blob, 40), List.of(endpoint), Duration.ofMinutes(30));
        assertThat(request.toByteArray()).isEqualTo(wire("AffiliateUpdateRequest"));
    }

    @Test
    void presentButEmptyDataAndFractionalTtlMatchWireVector() {
        AffiliateUpdateRequest request = Requests.update("c", "a", new byte[0], List.of(new byte[16]), Duration.ofMillis(60_500));
        assertThat(request.toByteArray()).isEqualTo(wire("AffiliateUpdateRequest(endpoints only, empty data present)"));
    }

    @Test
    void deleteMatchesWireVector() {
        assertThat(Requests.delete("c", "a").toByteArray()).isEqualTo(wire("AffiliateDeleteRequest"));
    }

    @Test
    void publishSendsLocalThenObservedWithoutData() throws Exception {
        LocalState state = new LocalState(Fixtures.info("me"), List.of(Fixtures.endpoint("1.2.3.4:51820")),
                Map.of("peer", List.of(Fixtures.endpoint("5.6.7.8:51820")), "me", List.of(Fixtures.endpoint("9.9.9.9:1"))));
        List<AffiliateUpdateRequest> requests = Requests.publish("c", "me", state, Fixtures.CODEC, Duration.ofMinutes(30));
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).getAffiliateId()).isEqualTo("me");
        assertThat(Fixtures.CODEC.openAffiliate(requests.get(0).getAffiliateData().toByteArray())).isEqualTo(Fixtures.info("me"));
        assertThat(requests.get(1).getAffiliateId()).isEqualTo("peer");
        assertThat(requests.get(1).hasAffiliateData()).isFalse();
        assertThat(Fixtures.CODEC.openEndpoint(requests.get(1).getAffiliateEndpoints(0).toByteArray()))
                .isEqualTo(Fixtures.endpoint("5.6.7.8:51820"));
        assertThat(requests.get(1).getTtl().getSeconds()).isEqualTo(1800);
        assertThat(Requests.publish("c", "me", LocalState.NOTHING, Fixtures.CODEC, Duration.ofMinutes(1))).isEmpty();
    }

    private static byte[] wire(String message) {
        for (JsonNode v : TestVectors.root().get("wire")) {
            if (v.get("message").asText().equals(message)) {
                return HexFormat.of().parseHex(v.get("bytes").asText());
            }
        }
        throw new AssertionError("no wire vector " + message);
    }
}
