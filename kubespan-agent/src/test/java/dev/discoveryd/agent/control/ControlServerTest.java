package dev.discoveryd.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.discoveryd.agent.core.AgentEvent;
import dev.discoveryd.agent.daemon.EventJournal;
import dev.discoveryd.agent.resource.ResourceKind;
import dev.discoveryd.agent.resource.ResourceStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket protocol end to end in one JVM: get, watch, events, sensitive fields, errors. */
class ControlServerTest {
    private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final ResourceStore store = new ResourceStore();
    private final EventJournal events = new EventJournal();
    private ControlServer server;

    @BeforeEach
    void start() throws IOException {
        server = new ControlServer(dir, store, events, "10.0.0.1");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void socketIsOwnerOnlyAndAnsweredQuickly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.path()))).isEqualTo("rw-------");
        put("local", Map.of("address", "fd50::1/128", "privateKey", "SECRET", "publicKey", "PUB"));
        long t0 = System.nanoTime();
        JsonNode first = open(get("ksi", false, false)).next(WAIT).orElseThrow();
        System.out.printf("socket get answered in %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        JsonNode spec = first.get("resources").get(0).get("spec");
        assertThat(spec.get("privateKey").asText()).isEqualTo("(sensitive: use --sensitive)");
        assertThat(spec.get("publicKey").asText()).isEqualTo("PUB");
        assertThat(open(get("ksi", false, true)).next(WAIT).orElseThrow().get("resources").get(0).get("spec")
                .get("privateKey").asText()).isEqualTo("SECRET");
    }

    @Test
    void watchStreamsCreatedUpdatedDestroyed() throws Exception {
        ControlClient watch = open(get("kubespanidentities", true, true));
        assertThat(watch.next(WAIT).orElseThrow().get("resources")).isEmpty();
        put("local", Map.of("publicKey", "A"));
        put("local", Map.of("publicKey", "B"));
        store.replaceAll(ResourceKind.KUBESPAN_IDENTITIES.type(), "kubespan", "o", Map.of(), T);
        assertThat(watch.next(WAIT).orElseThrow().get("event").asText()).isEqualTo("created");
        JsonNode updated = watch.next(WAIT).orElseThrow();
        assertThat(updated.get("event").asText()).isEqualTo("updated");
        assertThat(updated.get("resource").get("metadata").get("version").asLong()).isEqualTo(2);
        assertThat(watch.next(WAIT).orElseThrow().get("event").asText()).isEqualTo("destroyed");
        watch.close();
    }

    @Test
    void eventsTailThenFollow() throws Exception {
        for (int i = 0; i < 5; i++) {
            events.record(new AgentEvent(T, AgentEvent.PEER_UP, "k" + i, "peer " + i + " is up"));
        }
        ObjectNode request = Wire.JSON.createObjectNode().put("op", "events").put("tail", 2).put("follow", true);
        ControlClient client = open(request);
        JsonNode first = client.next(WAIT).orElseThrow();
        assertThat(first.get("events")).hasSize(2);
        assertThat(first.get("events").get(0).get("id").asText()).isEqualTo("k3");
        events.record(new AgentEvent(T, AgentEvent.PEER_DOWN, "k9", "peer 9 is down"));
        assertThat(client.next(WAIT).orElseThrow().get("event").get("type").asText()).isEqualTo("PeerDown");
        client.close();
    }

    @Test
    void errorsAreOneLine() throws Exception {
        assertThatThrownBy(() -> open(get("toasters", false, false)).next(WAIT)).hasMessage("unknown resource type \"toasters\"");
        server.close();
        assertThatThrownBy(() -> open(get("members", false, false))).hasMessageStartingWith("kubespan-agent is not running");
        server = new ControlServer(dir, store, events, "10.0.0.1"); // a stale socket file does not block a restart
    }

    private void put(String id, Map<String, Object> spec) {
        store.replaceAll(ResourceKind.KUBESPAN_IDENTITIES.type(), "kubespan", "kubespan.IdentityController", Map.of(id, spec), T);
    }

    private ControlClient open(ObjectNode request) throws IOException {
        return ControlClient.open(dir, request);
    }

    private static ObjectNode get(String type, boolean watch, boolean sensitive) {
        return Wire.JSON.createObjectNode().put("op", "get").put("type", type).put("namespace", "")
                .put("watch", watch).put("sensitive", sensitive);
    }
}
