package dev.discoveryd.agent.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.discoveryd.nodeclient.format.Base62;
import dev.discoveryd.nodeclient.format.NodeId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code node-identity.yaml} ({@code nodeId: <base62>}, 0600): created once, reused on every start. */
public final class NodeIdentityStore {
    public static final String FILE = "node-identity.yaml";

    private NodeIdentityStore() {
    }

    public static String loadOrCreate(Path stateDir) throws IOException, IdentityException {
        Path file = stateDir.resolve(FILE);
        if (Files.exists(file)) {
            return load(file);
        }
        String id = NodeId.generate();
        SecureFiles.createNew(file, ("nodeId: " + id + "\n").getBytes(StandardCharsets.UTF_8));
        return id;
    }

    static String load(Path file) throws IOException, IdentityException {
        JsonNode doc;
        try {
            doc = new YAMLMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IdentityException(file + ": not valid YAML; fix or remove it (removing it makes this a new node)");
        }
        JsonNode id = doc == null ? null : doc.get("nodeId");
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            throw new IdentityException(file + ": no nodeId; fix or remove it (removing it makes this a new node)");
        }
        byte[] raw;
        try {
            raw = Base62.decode(id.asText());
        } catch (IllegalArgumentException e) {
            throw new IdentityException(file + ": nodeId is not base62 (" + e.getMessage() + ")");
        }
        boolean zero = true;
        for (byte b : raw) {
            zero &= b == 0;
        }
        if (zero) {
            throw new IdentityException(file + ": nodeId decodes to zero");
        }
        return id.asText();
    }
}
