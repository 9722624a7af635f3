package dev.discoveryd.agent.resource;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** One resource as talosctl shows it: metadata plus a spec of ordered YAML keys. */
public record Resource(String namespace, String type, String id, long version, String owner, Instant created,
                       Instant updated, Map<String, Object> spec) {
    public Resource {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        spec = Collections.unmodifiableMap(new LinkedHashMap<>(spec));
    }

    /** The metadata block in cosi's key order. */
    public Map<String, Object> metadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("namespace", namespace);
        m.put("type", type);
        m.put("id", id);
        m.put("version", version);
        m.put("owner", owner);
        m.put("phase", "running");
        m.put("created", created.toString());
        m.put("updated", updated.toString());
        return m;
    }
}
