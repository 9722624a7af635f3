package dev.discoveryd.service.state;

import dev.discoveryd.core.Affiliate;

import java.util.Collection;

/** An encoder for tests that do not look at watch messages. */
final class SilentEncoder implements ChangeEncoder {
    @Override
    public byte[] snapshot(Collection<Affiliate> affiliates) {
        return new byte[0];
    }

    @Override
    public byte[] updated(Affiliate affiliate) {
        return new byte[0];
    }

    @Override
    public byte[] removed(String affiliateId) {
        return new byte[0];
    }
}
