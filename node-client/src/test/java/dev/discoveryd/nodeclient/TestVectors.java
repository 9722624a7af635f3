package dev.discoveryd.nodeclient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;

/** The shared spec's test-vectors.json (copied into test resources). */
public final class TestVectors {
    private static final JsonNode ROOT = load();

    private TestVectors() {
    }

    public static JsonNode root() {
        return ROOT;
    }

    public static byte[] hex(JsonNode node) {
        return HexFormat.of().parseHex(node.asText());
    }

    private static JsonNode load() {
        try (InputStream in = TestVectors.class.getResourceAsStream("/test-vectors.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
