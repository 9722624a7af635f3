package dev.discoveryd.nodeclient.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.discoveryd.service.DiscoveryServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster owner's question after an incident, end to end: nodes publish with this CLI to the real service (port
 * 0, a real data directory), then the service's `history` decodes the node's timeline from the event log with the
 * cluster secret read from a file.
 */
class AuditTimelineTest {
    private static final String CLUSTER = "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=";
    private static final String SECRET = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final String NODE = "7x1SuC8Ege5BGXdAfTEff5iQnlWZLfv9h1LGy3Hg5ke";

    @Test
    void historyShowsWhatTheNodeAnnouncedInOrderWithTheDiffs(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        try (DiscoveryServer server = DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=",
                "--ip-rate-limit=0", "--data-dir=" + data)) {
            int port = server.grpcPort();
            publish(port, "--node-id", NODE, "--hostname", "worker-1", "--address", "172.20.0.5",
                    "--wg-endpoint", "172.20.0.5:51820");
            publish(port, "--hostname", "other-node", "--address", "172.20.0.9");
            publish(port, "--node-id", NODE, "--hostname", "worker-1", "--address", "172.20.0.5",
                    "--address", "fd83:b1f7:fcb5:2802::5", "--wg-endpoint", "[2001:db8::1]:51820");
            publish(port, "--node-id", NODE, "--hostname", "worker-1-renamed", "--address", "fd83:b1f7:fcb5:2802::5",
                    "--kubespan-public-key", "mB6tO4M2+6Wq5z5y2tYq3Zl0o9XJk5b6y3c8e1f4g7h=",
                    "--kubespan-address", "fd7f:175a:b97c:5602:4f3:b3ff:fe5c:1f2a");
        }
        Path secretFile = tmp.resolve("secret");
        Files.writeString(secretFile, SECRET + "\n");

        String[] run = service("history", "--data-dir", data.toString(), "--cluster", CLUSTER, "--affiliate", NODE,
                "--cluster-secret-file", secretFile.toString());
        assertThat(run[0]).as(run[1] + run[2]).isEqualTo("0");
        List<String> blocks = blocks(run[1]);
        assertThat(blocks).hasSize(3);
        assertThat(blocks.get(0)).contains("update", "hostname worker-1,", "addresses 172.20.0.5",
                "endpoints 172.20.0.5:51820", "+address 172.20.0.5", "+endpoint 172.20.0.5:51820");
        assertThat(blocks.get(1)).contains("hostname worker-1,", "+address fd83:b1f7:fcb5:2802::5",
                "+endpoint [2001:db8::1]:51820", "endpoints 172.20.0.5:51820, [2001:db8::1]:51820")
                .doesNotContain("-address", "-endpoint");
        assertThat(blocks.get(2)).contains("hostname worker-1 -> worker-1-renamed", "-address 172.20.0.5",
                "kubespan key mB6tO4M2+6Wq5z5y2tYq3Zl0o9XJk5b6y3c8e1f4g7h=, address fd7f:175a:b97c:5602:4f3:b3ff:fe5c:1f2a");
        assertThat(run[1]).doesNotContain("other-node");

        String[] dump = service("log", "dump", "--data-dir", data.toString(), "--cluster", CLUSTER,
                "--cluster-secret-file", secretFile.toString());
        assertThat(dump[0]).isEqualTo("0");
        assertThat(dump[1].lines()).hasSize(4);
        assertThat(dump[1]).contains("\"hostname\":\"other-node\"");

        // The secret is in none of the tools' output and in no file of the data directory.
        byte[] raw = Base64.getDecoder().decode(SECRET);
        for (String[] r : List.of(run, dump)) {
            assertThat(r[1] + r[2]).doesNotContain(SECRET);
        }
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(content).as(f.toString()).doesNotContain(SECRET)
                        .doesNotContain(new String(raw, StandardCharsets.ISO_8859_1));
            }
        }
    }

    private static void publish(int port, String... args) {
        List<String> all = new ArrayList<>(List.of("publish"));
        all.addAll(List.of(args));
        all.addAll(List.of("--endpoint", "127.0.0.1:" + port, "--insecure", "--cluster-id", CLUSTER,
                "--cluster-secret", SECRET));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        assertThat(code).as(err.toString()).isZero();
    }

    /** Runs the service's CLI in-process: exit code, stdout, stderr. */
    private static String[] service(String... args) throws IOException {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = new picocli.CommandLine(new dev.discoveryd.service.Main()).execute(args);
            return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static List<String> blocks(String text) {
        List<String> blocks = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("20")) {
                blocks.add(line);
            } else if (!blocks.isEmpty()) {
                blocks.set(blocks.size() - 1, blocks.get(blocks.size() - 1) + "\n" + line);
            }
        }
        return blocks;
    }
}
