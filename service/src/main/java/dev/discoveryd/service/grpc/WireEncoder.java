package dev.discoveryd.service.grpc;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import com.google.protobuf.UnsafeByteOperations;
import dev.discoveryd.api.server.WatchResponse;
import dev.discoveryd.core.Affiliate;
import dev.discoveryd.service.state.ChangeEncoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;

/**
 * Turns core affiliates into the protobuf messages clients receive. Watch messages come out framed as gRPC messages
 * (flag byte and length first), once per change, so every watcher's stream writes the same array without a copy.
 */
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
        return frame(b.build());
    }

    @Override
    public byte[] updated(Affiliate affiliate) {
        return frame(WatchResponse.newBuilder().addAffiliates(toWire(affiliate)).build());
    }

    @Override
    public byte[] removed(String affiliateId) {
        return frame(WatchResponse.newBuilder()
                .addAffiliates(dev.discoveryd.api.server.Affiliate.newBuilder().setId(affiliateId))
                .setDeleted(true)
                .build());
    }

    /** A gRPC message: uncompressed flag, 4-byte big-endian length, the serialized message. */
    public static byte[] frame(MessageLite message) {
        int n = message.getSerializedSize();
        byte[] out = new byte[5 + n];
        out[1] = (byte) (n >>> 24);
        out[2] = (byte) (n >>> 16);
        out[3] = (byte) (n >>> 8);
        out[4] = (byte) n;
        CodedOutputStream body = CodedOutputStream.newInstance(out, 5, n);
        try {
            message.writeTo(body);
        } catch (IOException e) {
            throw new UncheckedIOException("serializing into an array of its exact size cannot fail", e);
        }
        body.checkNoSpaceLeft();
        return out;
    }
}
