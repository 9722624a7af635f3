package dev.discoveryd.service.grpc;

import com.google.protobuf.UnsafeByteOperations;
import dev.discoveryd.api.server.WatchResponse;
import dev.discoveryd.core.Affiliate;
import dev.discoveryd.service.state.ChangeEncoder;

import java.util.Collection;

/** Turns core affiliates into the protobuf messages clients receive. */
public final class WireEncoder implements ChangeEncoder {

    public static dev.discoveryd.api.server.Affiliate toWire(Affiliate affiliate) {
        dev.discoveryd.api.server.Affiliate.Builder b = dev.discoveryd.api.server.Affiliate.newBuilder()
                .setId(affiliate.id())
                // Stored arrays are never modified, so wrapping without a copy is safe.
                .setData(UnsafeByteOperations.unsafeWrap(affiliate.data()));
        for (int i = 0; i < affiliate.endpointCount(); i++) {
            b.addEndpoints(UnsafeByteOperations.unsafeWrap(affiliate.endpoint(i)));
        }
        return b.build();
    }

    @Override
    public byte[] snapshot(Collection<Affiliate> affiliates) {
        WatchResponse.Builder b = WatchResponse.newBuilder();
        for (Affiliate a : affiliates) {
            b.addAffiliates(toWire(a));
        }
        return b.build().toByteArray();
    }

    @Override
    public byte[] updated(Affiliate affiliate) {
        return WatchResponse.newBuilder().addAffiliates(toWire(affiliate)).build().toByteArray();
    }

    @Override
    public byte[] removed(String affiliateId) {
        return WatchResponse.newBuilder()
                .addAffiliates(dev.discoveryd.api.server.Affiliate.newBuilder().setId(affiliateId))
                .setDeleted(true)
                .build()
                .toByteArray();
    }
}
