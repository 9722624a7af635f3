package dev.discoveryd.nodeclient.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.discoveryd.api.server.AffiliateDeleteRequest;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.api.server.HelloResponse;
import dev.discoveryd.api.server.ListResponse;
import dev.discoveryd.api.server.WatchResponse;
import dev.discoveryd.nodeclient.TestVectors;
import dev.discoveryd.nodeclient.format.IpText;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The server-to-node direction of the wire vectors, read the way the client reads them. */
class WireVectorsTest {
    @Test
    void helloResponseGivesRedirectAndPublicIp() throws Exception {
        HelloResponse hello = HelloResponse.parseFrom(wire("HelloResponse"));
        ServerAddress redirected = ServerAddress.parse("https://discovery.example.org", false).redirectTo(hello.getRedirect().getEndpoint());
        assertThat(redirected).isEqualTo(new ServerAddress("discovery-2.example.org", 443, true));
        assertThat(IpText.format(IpText.fromBytes(hello.getClientIp().toByteArray()))).isEqualTo("203.0.113.7");
        assertThat(hello.toByteArray()).isEqualTo(wire("HelloResponse"));
    }

    @Test
    void requestsParseBackToTheirFields() throws Exception {
        assertThat(HelloRequest.parseFrom(wire("HelloRequest")).getClientVersion()).isEqualTo("v1.11.0");
        AffiliateUpdateRequest update = AffiliateUpdateRequest.parseFrom(wire("AffiliateUpdateRequest"));
        assertThat(update.getAffiliateId()).isEqualTo("7x1SuC8Ege5BGXdAfTEff5iQnlWZLfv9h1LGy3Hg5ke");
        assertThat(Fixtures.CODEC.openEndpoint(update.getAffiliateEndpoints(0).toByteArray()).toString()).isEqualTo("172.20.0.5:51820");
        AffiliateUpdateRequest endpointsOnly = AffiliateUpdateRequest.parseFrom(wire("AffiliateUpdateRequest(endpoints only, empty data present)"));
        assertThat(endpointsOnly.hasAffiliateData()).isTrue();
        assertThat(endpointsOnly.getAffiliateData().isEmpty()).isTrue();
        assertThat(AffiliateDeleteRequest.parseFrom(wire("AffiliateDeleteRequest")).getAffiliateId()).isEqualTo("a");
    }

    @Test
    void listAndDeletedWatchMessagesFoldIntoTheView() throws Exception {
        ListResponse list = ListResponse.parseFrom(wire("ListResponse"));
        assertThat(list.getAffiliates(0).getEndpointsCount()).isEqualTo(2);
        AffiliateDecoder decoder = new AffiliateDecoder(Fixtures.CODEC);
        SessionView view = new SessionView("me", decoder);
        view.apply(WatchResponse.newBuilder().addAffiliates(Fixtures.raw("a", Fixtures.info("a"))).build(), true);
        assertThat(view.affiliates()).containsOnlyKeys("a");
        assertThat(view.apply(WatchResponse.parseFrom(wire("WatchResponse(deleted)")), false)).isTrue();
        assertThat(view.affiliates()).isEmpty();
        // The vector's blobs are placeholders: the client skips and counts them instead of failing.
        view.apply(WatchResponse.newBuilder().addAllAffiliates(list.getAffiliatesList()).build(), true);
        assertThat(view.affiliates()).isEmpty();
        assertThat(decoder.rejectedBlobs()).isEqualTo(1);
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
