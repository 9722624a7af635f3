package dev.discoveryd.snapshots;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.discoveryd.core.Affiliate;
import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.View;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * A view as JSON, streamed, for {@code snapshot inspect} and {@code replay} (one shape for both, so outputs diff):
 * <pre>{"index": N, "clusters": [{"id": "...", "affiliates": [{"id": "...", "data": "&lt;base64&gt;",
 *   "expiresAt": ms, "endpoints": [{"value": "&lt;base64&gt;", "expiresAt": ms}]}]}]}</pre>
 * Clusters are sorted by ID; affiliates and endpoints keep their stored order. Times are epoch milliseconds.
 */
public final class ViewJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private ViewJson() {
    }

    /** Writes {@code view}, which covers the log up to {@code index}, to {@code out} (left open). */
    public static void write(View view, long index, OutputStream out, boolean pretty) throws IOException {
        List<ClusterState> clusters = new ArrayList<>(view.clusters());
        clusters.sort(Comparator.comparing(ClusterState::id));
        try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            if (pretty) {
                json.useDefaultPrettyPrinter();
            }
            json.writeStartObject();
            json.writeNumberField("index", index);
            json.writeArrayFieldStart("clusters");
            for (ClusterState cluster : clusters) {
                writeCluster(json, cluster);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    private static void writeCluster(JsonGenerator json, ClusterState cluster) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", cluster.id());
        json.writeArrayFieldStart("affiliates");
        for (Affiliate a : cluster.affiliates()) {
            json.writeStartObject();
            json.writeStringField("id", a.id());
            json.writeStringField("data", BASE64.encodeToString(a.data()));
            json.writeNumberField("expiresAt", a.expiresAt());
            json.writeArrayFieldStart("endpoints");
            for (int i = 0; i < a.endpointCount(); i++) {
                json.writeStartObject();
                json.writeStringField("value", BASE64.encodeToString(a.endpoint(i)));
                json.writeNumberField("expiresAt", a.endpointExpiresAt(i));
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }
}
