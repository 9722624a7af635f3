package dev.discoveryd.eventlog.tools;

import dev.discoveryd.core.Event;
import java.time.Instant;

/**
 * Which events {@code log dump} prints; null fields match everything. Times are inclusive and compared with the
 * event's time.
 */
public record DumpFilter(String cluster, String affiliate, Instant since, Instant until) {
    public static final DumpFilter ALL = new DumpFilter(null, null, null, null);

    public boolean matches(Event e) {
        return (cluster == null || cluster.equals(e.clusterId()))
                && (affiliate == null || affiliate.equals(e.affiliateId()))
                && (since == null || e.time() >= since.toEpochMilli())
                && (until == null || e.time() <= until.toEpochMilli());
    }
}
