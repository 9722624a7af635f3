package dev.discoveryd.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.discoveryd.agent.control.Wire;
import dev.discoveryd.agent.resource.ResourceKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrinterTest {
    private static final String RESOURCE = """
            {"metadata":{"namespace":"kubespan","type":"KubeSpanPeerStatuses.kubespan.talos.dev",
              "id":"06D9QQOydzKrOL7oeLiqHy9OWE8KtmJzZII2A5/FLFI=","version":63,"owner":"kubespan.ManagerController",
              "phase":"running","created":"2026-12-01T00:00:00Z","updated":"2026-12-01T00:10:00Z"},
             "spec":{"endpoint":"172.20.0.3:51820","label":"talos-default-controlplane-2","state":"up",
              "receiveBytes":15043220,"transmitBytes":17869488,"lastHandshakeTime":"0001-01-01T00:00:00Z",
              "lastUsedEndpoint":"","lastEndpointChange":"2026-12-01T00:00:00Z"}}
            """;

    @Test
    void tableHasTalosctlColumns() throws Exception {
        String out = print("table", false);
        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).isEqualTo(
                "NODE       NAMESPACE   TYPE                 ID                                             VERSION   LABEL                          ENDPOINT           STATE   RX         TX");
        assertThat(lines.get(1)).isEqualTo(
                "10.5.0.2   kubespan    KubeSpanPeerStatus   06D9QQOydzKrOL7oeLiqHy9OWE8KtmJzZII2A5/FLFI=   63        talos-default-controlplane-2   172.20.0.3:51820   up      15043220   17869488");
    }

    @Test
    void watchTableHasTheStarColumn() throws Exception {
        assertThat(print("table", true).lines().findFirst().orElseThrow()).startsWith("*   NODE");
    }

    @Test
    void yamlLikeTalosctl() throws Exception {
        String out = print("yaml", false);
        assertThat(out).startsWith("node: 10.5.0.2\nmetadata:\n    namespace: kubespan\n");
        assertThat(out).contains("    version: 63\n", "spec:\n    endpoint: 172.20.0.3:51820\n",
                "    lastHandshakeTime: 0001-01-01T00:00:00Z\n", "    lastUsedEndpoint: \"\"\n");
    }

    @Test
    void jsonIndentedFourSpaces() throws Exception {
        assertThat(print("json", false)).contains("{\n    \"node\" : \"10.5.0.2\",\n    \"metadata\" : {\n        \"namespace\"");
    }

    @Test
    void yamlQuotesOnlyWhatWouldChangeType() {
        assertThat(YamlWriter.scalar(Wire.JSON.getNodeFactory().textNode("10.0.0.1"))).isEqualTo("10.0.0.1");
        assertThat(YamlWriter.scalar(Wire.JSON.getNodeFactory().textNode("1420"))).isEqualTo("\"1420\"");
        assertThat(YamlWriter.scalar(Wire.JSON.getNodeFactory().textNode("true"))).isEqualTo("\"true\"");
        assertThat(YamlWriter.scalar(Wire.JSON.getNodeFactory().textNode("[2001:db8::1]:51820"))).isEqualTo("'[2001:db8::1]:51820'".replace('\'', '"'));
        assertThat(YamlWriter.scalar(Wire.JSON.getNodeFactory().textNode("fd50::1/128"))).isEqualTo("fd50::1/128");
    }

    private static String print(String format, boolean watch) throws Exception {
        JsonNode resource = Wire.JSON.readTree(RESOURCE);
        StringWriter text = new StringWriter();
        new Printer(new PrintWriter(text), format, ResourceKind.KUBESPAN_PEER_STATUSES, "10.5.0.2", watch).printAll(List.of(resource));
        return text.toString();
    }
}
