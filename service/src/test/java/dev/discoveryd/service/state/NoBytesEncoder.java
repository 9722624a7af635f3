package dev.discoveryd.service.state;

import dev.discoveryd.core.Affiliate;

import java.util.Collection;

/** For tests of the state machinery that have no watchers: every Watch message encodes to nothing. */
public final class NoBytesEncoder implements ChangeEncoder {
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
