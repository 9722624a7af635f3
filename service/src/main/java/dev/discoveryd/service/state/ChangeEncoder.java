package dev.discoveryd.service.state;

import dev.discoveryd.core.Affiliate;

import java.util.Collection;

/** Serializes what watchers are sent; called once per change, whatever the number of watchers. */
public interface ChangeEncoder {
    byte[] snapshot(Collection<Affiliate> affiliates);

    byte[] updated(Affiliate affiliate);

    byte[] removed(String affiliateId);
}
