package dev.discoveryd.eventlog.tools;

import dev.discoveryd.core.Event;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.ChronicleEventLog;
import dev.discoveryd.eventlog.EventLogException;
import dev.discoveryd.eventlog.LogScanner;
import dev.discoveryd.eventlog.record.ChainBreakException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code history --cluster C --affiliate A}: one node's timeline as text, one block per event: when, what, what the
 * node announced (decoded with the cluster secret: hostname, nodename, machine type, addresses, KubeSpan key and
 * address, endpoints) and what changed since its previous event. Without a decoder, only sizes.
 */
public final class AffiliateHistory {
    private final Path dataDir;
    private final KeyRing keys;

    public AffiliateHistory(Path dataDir, KeyRing keys) {
        this.dataDir = dataDir;
        this.keys = keys;
    }

    /** Prints the timeline; {@code decoder} may be null. Returns an {@link ExitCodes} value. */
    public int run(String cluster, String affiliate, BlobDecoder decoder, PrintStream out, PrintStream progress,
                   Clock clock) {
        AffiliateTimeline timeline = decoder == null ? null : new AffiliateTimeline(cluster, decoder);
        try (LogScanner scanner = LogScanner.open(dataDir, keys)) {
            ScanProgress counter = new ScanProgress("history", progress, clock, scanner.recordCount());
            int[] shown = {0};
            try {
                scanner.scan(ChronicleEventLog.NO_INDEX, ce -> {
                    counter.tick();
                    Event e = ce.event();
                    if (!cluster.equals(e.clusterId())) {
                        return;
                    }
                    AffiliateTimeline.Entry entry = timeline == null ? null : timeline.apply(e);
                    if (affiliate.equals(e.affiliateId())) {
                        print(out, ce.index(), e, entry);
                        shown[0]++;
                    }
                });
            } catch (ChainBreakException e) {
                out.println("BAD record " + e.index() + " (" + scanner.locate(e.index()) + "): " + e.reason()
                        + "; the history stops before it");
                return ExitCodes.CORRUPT;
            }
            counter.finish();
            if (shown[0] == 0) {
                out.println("no events of affiliate " + affiliate + " in cluster " + cluster);
            }
            return ExitCodes.OK;
        } catch (EventLogException e) {
            out.println("cannot read the log: " + e.getMessage());
            return ExitCodes.UNUSABLE;
        }
    }

    private static void print(PrintStream out, long index, Event e, AffiliateTimeline.Entry entry) {
        StringBuilder head = new StringBuilder();
        head.append(Json.time(e.time())).append("  ").append(EventType.of(e)).append("  (record ").append(index).append(')');
        if (e instanceof Event.AffiliateUpdated u) {
            head.append("  data ").append(u.data() == null ? "unchanged" : u.data().length + " bytes")
                    .append(", ").append(u.endpoints().size()).append(" endpoint(s), expires ")
                    .append(Json.time(u.expiresAt()));
        } else if (e instanceof Event.EndpointsExpired x) {
            head.append("  ").append(x.count()).append(" endpoint(s) expired");
        }
        out.println(head);
        if (entry == null) {
            return;
        }
        if (entry.decoded() != null) {
            DecodedAffiliate d = entry.decoded();
            out.println("    hostname " + d.hostname() + ", nodename " + d.nodename() + ", machine type "
                    + d.machineType() + ", os " + d.operatingSystem());
            out.println("    addresses " + join(d.addresses()));
            if (d.kubespanPublicKey() != null) {
                out.println("    kubespan key " + d.kubespanPublicKey() + ", address " + d.kubespanAddress()
                        + (d.kubespanAdditionalAddresses().isEmpty() ? "" : ", additional "
                        + join(d.kubespanAdditionalAddresses())));
            }
        } else if (entry.undecodableData() != null) {
            out.println("    data undecryptable: " + entry.undecodableData());
        }
        if (e instanceof Event.AffiliateUpdated) {
            out.println("    endpoints " + join(entry.endpointsNow())
                    + (entry.undecodableEndpoints() > 0 ? " (" + entry.undecodableEndpoints() + " undecryptable)" : ""));
        }
        AffiliateTimeline.Changes c = entry.changes();
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String[]> f : c.fields().entrySet()) {
            parts.add(f.getKey() + " " + f.getValue()[0] + " -> " + f.getValue()[1]);
        }
        c.addressesAdded().forEach(a -> parts.add("+address " + a));
        c.addressesRemoved().forEach(a -> parts.add("-address " + a));
        c.endpointsAdded().forEach(a -> parts.add("+endpoint " + a));
        c.endpointsRemoved().forEach(a -> parts.add("-endpoint " + a));
        out.println("    changed: " + (parts.isEmpty() ? "nothing (a refresh)" : String.join("; ", parts)));
    }

    private static String join(List<String> values) {
        return values.isEmpty() ? "(none)" : String.join(", ", values);
    }
}
