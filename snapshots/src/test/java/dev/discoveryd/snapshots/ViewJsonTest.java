package dev.discoveryd.snapshots;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;

import static dev.discoveryd.snapshots.Fixtures.affiliate;
import static dev.discoveryd.snapshots.Fixtures.cluster;
import static org.assertj.core.api.Assertions.assertThat;

class ViewJsonTest {
    @Test
    void writesTheIndexAndClustersSortedWithBase64Values() throws IOException {
        var view = Fixtures.view(List.of(cluster("zeta", affiliate("z1", "zz", 5)),
                cluster("alpha", affiliate("a2", "data\"<", 9, "ep1", "ep2"), affiliate("a1", "", 3))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ViewJson.write(view, 77, out, true);

        JsonNode json = new ObjectMapper().readTree(out.toByteArray());
        assertThat(json.get("index").asLong()).isEqualTo(77);
        assertThat(json.get("clusters").findValuesAsText("id")).containsExactly("alpha", "a2", "a1", "zeta", "z1");
        JsonNode a2 = json.get("clusters").get(0).get("affiliates").get(0);
        assertThat(Base64.getDecoder().decode(a2.get("data").asText())).isEqualTo("data\"<".getBytes());
        assertThat(a2.get("expiresAt").asLong()).isEqualTo(9);
        assertThat(Base64.getDecoder().decode(a2.get("endpoints").get(1).get("value").asText())).isEqualTo("ep2".getBytes());
        assertThat(a2.get("endpoints").get(1).get("expiresAt").asLong()).isEqualTo(8);
    }
}
