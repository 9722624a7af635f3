package dev.discoveryd.eventlog.tools;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.discoveryd.core.Affiliate;
import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.View;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes a {@link View} as one JSON document (shared by {@code replay --until} and the snapshot tool):
 *
 * <pre>
 * {"asOf": "RFC 3339" (optional), "index": N (optional), "clusterCount": N, "affiliateCount": N,
 *  "clusters": [{"id": "...", "affiliates": [{"id": "...", "data": "base64", "expiresAt": "RFC 3339",
 *                "endpoints": [{"data": "base64", "expiresAt": "RFC 3339"}]}]}]}
 * </pre>
 *
 * Clusters are sorted by id; affiliates and endpoints keep their stored order.
 */
public final class ViewJson {
    private ViewJson() {
    }

    public static void write(View view, Writer out) {
        write(view, null, -1, out);
    }

    /**
     * @param asOf  the time the view is as of, or null to leave it out
     * @param index the last log index folded into the view, or negative to leave it out
     */
    public static void write(View view, Instant asOf, long index, Writer out) {
        write(view, asOf, index, out, null, null);
    }

    /**
     * As {@link #write(View, Instant, long, Writer)}, only the cluster {@code onlyCluster} when it is not null; with a
     * {@code decoder} (the cluster secret of {@code onlyCluster}) each affiliate adds {@code decoded} (the fields
     * {@code log dump} prints as {@code data}) or {@code dataUndecryptable}, and each endpoint {@code text} or
     * {@code undecryptable}.
     */
    public static void write(View view, Instant asOf, long index, Writer out, String onlyCluster, BlobDecoder decoder) {
        try (JsonGenerator g = Json.generator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            if (asOf != null) {
                g.writeStringField("asOf", asOf.toString());
            }
            if (index >= 0) {
                g.writeNumberField("index", index);
            }
            g.writeNumberField("clusterCount", view.clusterCount());
            g.writeNumberField("affiliateCount", view.affiliateCount());
            g.writeArrayFieldStart("clusters");
            List<ClusterState> clusters = new ArrayList<>(view.clusters());
            if (onlyCluster != null) {
                clusters.removeIf(c -> !c.id().equals(onlyCluster));
            }
            clusters.sort(Comparator.comparing(ClusterState::id));
            for (ClusterState cluster : clusters) {
                writeCluster(g, cluster, decoder);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeCluster(JsonGenerator g, ClusterState cluster, BlobDecoder decoder) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", cluster.id());
        g.writeArrayFieldStart("affiliates");
        for (Affiliate a : cluster.affiliates()) {
            g.writeStartObject();
            g.writeStringField("id", a.id());
            g.writeFieldName("data");
            g.writeBinary(a.data());
            g.writeStringField("expiresAt", Json.time(a.expiresAt()));
            if (decoder != null) {
                try {
                    DecodedAffiliate decoded = decoder.affiliate(a.data());
                    g.writeFieldName("decoded");
                    LogDump.affiliate(g, decoded);
                } catch (BlobDecoder.Undecodable e) {
                    g.writeStringField("dataUndecryptable", e.getMessage());
                }
            }
            g.writeArrayFieldStart("endpoints");
            for (int i = 0; i < a.endpointCount(); i++) {
                g.writeStartObject();
                g.writeFieldName("data");
                g.writeBinary(a.endpoint(i));
                g.writeStringField("expiresAt", Json.time(a.endpointExpiresAt(i)));
                if (decoder != null) {
                    try {
                        g.writeStringField("text", decoder.endpoint(a.endpoint(i)));
                    } catch (BlobDecoder.Undecodable e) {
                        g.writeStringField("undecryptable", e.getMessage());
                    }
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
