package dev.discoveryd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import dev.discoveryd.api.server.AffiliateDeleteRequest;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.api.server.HelloResponse;
import dev.discoveryd.api.server.ListResponse;
import dev.discoveryd.api.server.WatchResponse;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Every "wire" vector of test-vectors.json: its text form serializes to exactly its bytes, and parses back. */
class WireVectorsTest {
    private static final Map<String, Supplier<Message.Builder>> TYPES = Map.of(
            "HelloRequest", HelloRequest::newBuilder,
            "HelloResponse", HelloResponse::newBuilder,
            "AffiliateUpdateRequest", AffiliateUpdateRequest::newBuilder,
            "AffiliateDeleteRequest", AffiliateDeleteRequest::newBuilder,
            "ListResponse", ListResponse::newBuilder,
            "WatchResponse", WatchResponse::newBuilder);

    @TestFactory
    List<DynamicTest> everyWireVector() throws Exception {
        JsonNode vectors;
        try (InputStream in = getClass().getResourceAsStream("/test-vectors.json")) {
            vectors = new ObjectMapper().readTree(in).get("wire");
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : vectors) {
            String label = v.get("message").asText();
            String type = label.contains("(") ? label.substring(0, label.indexOf('(')) : label;
            tests.add(DynamicTest.dynamicTest(label, () -> {
                Supplier<Message.Builder> builder = TYPES.get(type);
                assertThat(builder).as("known message type " + type).isNotNull();
                Message.Builder b = builder.get();
                TextFormat.merge(v.get("text").asText(), b);
                byte[] expected = HexFormat.of().parseHex(v.get("bytes").asText());
                assertThat(HexFormat.of().formatHex(b.build().toByteArray())).isEqualTo(v.get("bytes").asText());
                assertThat(builder.get().mergeFrom(expected).build()).isEqualTo(b.build());
            }));
        }
        assertThat(tests).hasSize(7);
        return tests;
    }
}
