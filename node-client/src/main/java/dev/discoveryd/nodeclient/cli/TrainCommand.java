package dev.discoveryd.nodeclient.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code train} (hidden): the launcher's training run for its start-up cache. Publishes and lists (every output
 * format, plaintext and TLS) against a loopback gRPC peer ({@link TrainPeer}, in a JVM of its own so that none of its Vert.x server
 * classes enter the cache: JDK 25's AOT cache loads every class it holds at each start), then tries the closed port it
 * leaves, so that the cache holds the classes a real run loads. Prints nothing on success.
 */
final class TrainCommand {
    static final CliCommand COMMAND = new CliCommand("train", "Exercise the CLI once (for the launcher's start-up archive).",
            true, List.of(), TrainCommand::run);
    private static final String SECRET = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private TrainCommand() {
    }

    static int run(CliArgs args, PrintWriter out) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process peer = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dslf4j.provider=" + CliLogging.class.getName(), "-Dslf4j.internal.verbosity=WARN",
                "-cp", System.getProperty("java.class.path"), TrainPeer.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String line = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            String[] started = line == null ? new String[0] : line.strip().split(" ", 3);
            if (started.length != 3) {
                System.err.println("train: the peer did not start");
                return 1;
            }
            String endpoint = "127.0.0.1:" + started[0];
            PrintWriter sink = new PrintWriter(Writer.nullWriter());
            String[] common = {"--endpoint", endpoint, "--insecure", "--cluster-id", "train", "--cluster-secret", SECRET};
            String[] tls = {"--endpoint", "https://127.0.0.1:" + started[1], "--cluster-id", "train", "--cluster-secret", SECRET};
            int failures = 0;
            failures += run(sink, concat(new String[] {"publish", "--hostname", "train", "--address", "192.0.2.1",
                    "--wg-endpoint", "192.0.2.1:51820", "--kubespan-public-key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
                    "--kubespan-address", "fd00::1", "--kubespan-additional-address", "10.0.0.0/24"}, common));
            for (String format : new String[] {"table", "json", "yaml"}) {
                failures += run(sink, concat(new String[] {"list", "-o", format}, common));
            }
            // TLS both ways a run may trust: a CA file (certificate path and host checks) and --insecure.
            if (!started[1].equals("-")) {
                failures += run(sink, concat(new String[] {"list", "--ca-file", started[2]}, tls));
                failures += run(sink, concat(new String[] {"publish", "--hostname", "train", "--insecure"}, tls));
            }
            peer.getOutputStream().close(); // the peer exits when its stdin ends
            if (!peer.waitFor(30, TimeUnit.SECONDS)) {
                System.err.println("train: the peer did not exit");
                return 1;
            }
            // Help and a usage error print to the sink; the refused path is expected to fail.
            Main.run(sink, sink, "--help");
            Main.run(sink, sink, "publish", "--help");
            Main.run(sink, sink, "list", "-o", "xml");
            Main.run(sink, sink, "list", "--endpoint", endpoint, "--insecure", "--cluster-id", "train", "--cluster-secret", SECRET);
            return failures == 0 ? 0 : 1;
        } finally {
            peer.destroy();
        }
    }

    private static int run(PrintWriter sink, String[] args) {
        return Main.run(sink, new PrintWriter(System.err, true), args) == 0 ? 0 : 1;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
