package dev.discoveryd.agent.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.discoveryd.agent.core.AgentEvent;
import dev.discoveryd.agent.resource.Resource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The control socket's JSON-lines vocabulary, shared by server and CLI. */
public final class Wire {
    public static final String SOCKET = "agent.sock";
    public static final ObjectMapper JSON = new ObjectMapper();
    /** Spec keys holding secrets; shown only with the sensitive flag. */
    static final Set<String> SECRET_KEYS = Set.of("privateKey", "serviceEncryptionKey", "sharedSecret");

    private Wire() {
    }

    public static Path socket(Path stateDir) {
        return stateDir.resolve(SOCKET);
    }

    static ObjectNode resource(Resource r, boolean redact) {
        ObjectNode node = JSON.createObjectNode();
        node.set("metadata", JSON.valueToTree(r.metadata()));
        Map<String, Object> spec = new LinkedHashMap<>(r.spec());
        if (redact) {
            spec.replaceAll((k, v) -> SECRET_KEYS.contains(k) ? dev.discoveryd.agent.resource.Specs.redacted() : v);
        }
        node.set("spec", JSON.valueToTree(spec));
        return node;
    }

    static ObjectNode event(AgentEvent e) {
        ObjectNode node = JSON.createObjectNode();
        node.put("time", e.time().toString());
        node.put("type", e.kind());
        node.put("id", e.id());
        node.put("message", e.message());
        return node;
    }
}
