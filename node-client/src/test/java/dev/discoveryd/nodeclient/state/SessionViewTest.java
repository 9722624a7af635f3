package dev.discoveryd.nodeclient.state;

import static dev.discoveryd.nodeclient.state.Fixtures.endpoint;
import static dev.discoveryd.nodeclient.state.Fixtures.info;
import static dev.discoveryd.nodeclient.state.Fixtures.raw;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.Affiliate;
import dev.discoveryd.api.server.WatchResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionViewTest {
    private final AffiliateDecoder decoder = new AffiliateDecoder(Fixtures.CODEC);
    private final SessionView view = new SessionView("me", decoder);

    @Test
    void firstMessageReplacesLaterOnesUpdateAndDelete() {
        assertThat(view.apply(snapshot(raw("a", info("a")), raw("b", info("b"))), true)).isTrue();
        assertThat(view.affiliates()).containsOnlyKeys("a", "b");

        assertThat(view.apply(snapshot(raw("c", info("c"), endpoint("1.2.3.4:51820"))), false)).isTrue();
        assertThat(view.affiliates()).containsOnlyKeys("a", "b", "c");
        assertThat(view.affiliates().get("c").endpoints()).containsExactly(endpoint("1.2.3.4:51820"));

        WatchResponse delete = WatchResponse.newBuilder().setDeleted(true).addAffiliates(Affiliate.newBuilder().setId("a")).build();
        assertThat(view.apply(delete, false)).isTrue();
        assertThat(view.affiliates()).containsOnlyKeys("b", "c");

        assertThat(view.apply(snapshot(raw("x", info("x"))), true)).isTrue();
        assertThat(view.affiliates()).containsOnlyKeys("x");
    }

    @Test
    void emptySnapshotClearsAndRepeatedDataIsNoChange() {
        Affiliate a = raw("a", info("a"));
        view.apply(snapshot(a), true);
        assertThat(view.apply(snapshot(a), false)).isFalse();
        assertThat(view.apply(WatchResponse.getDefaultInstance(), true)).isTrue();
        assertThat(view.affiliates()).isEmpty();
    }

    @Test
    void ignoresOwnIdAndEmptyIds() {
        assertThat(view.apply(snapshot(raw("me", info("me")), raw("", info("x"))), true)).isFalse();
        assertThat(view.affiliates()).isEmpty();
    }

    @Test
    void skipsGarbageBlobsAndCountsThem() {
        Affiliate garbage = Affiliate.newBuilder().setId("g").setData(ByteString.copyFromUtf8("not encrypted at all")).build();
        Affiliate badEndpoint = raw("b", info("b"), endpoint("10.1.1.1:1")).toBuilder()
                .addEndpoints(ByteString.copyFrom(new byte[15])).addEndpoints(ByteString.copyFrom(new byte[32])).build();
        view.apply(snapshot(garbage, badEndpoint, raw("ok", info("ok"))), true);
        assertThat(view.affiliates()).containsOnlyKeys("b", "ok");
        assertThat(view.affiliates().get("b").endpoints()).containsExactly(endpoint("10.1.1.1:1"));
        assertThat(decoder.rejectedBlobs()).isEqualTo(3);
    }

    @Test
    void aGoodAffiliateTurningBadIsDropped() {
        view.apply(snapshot(raw("a", info("a"))), true);
        view.apply(snapshot(Affiliate.newBuilder().setId("a").setData(ByteString.copyFrom(new byte[40])).build()), false);
        assertThat(view.affiliates()).isEmpty();
    }

    @Test
    void endpointsWithoutDataAreKeptWithoutInfo() {
        view.apply(snapshot(raw("e", null, endpoint("[2001:db8::1]:51820"))), true);
        DiscoveredAffiliate e = view.affiliates().get("e");
        assertThat(e.infoIfKnown()).isEmpty();
        assertThat(e.endpoints()).extracting(Object::toString).containsExactly("[2001:db8::1]:51820");
        assertThat(List.of(decoder.rejectedBlobs())).containsExactly(0L);
    }

    private static WatchResponse snapshot(Affiliate... affiliates) {
        return WatchResponse.newBuilder().addAllAffiliates(List.of(affiliates)).build();
    }
}
