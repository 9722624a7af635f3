package dev.discoveryd.ops;

import com.google.protobuf.MessageLite;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * gRPC unary calls driven by h2load (nghttp2-client), a load generator in C that is not this project's own code: each
 * request body (5-byte gRPC prefix + protobuf) goes to its own h2load process, all at once, for a fixed time after a
 * warm-up. h2load counts HTTP statuses only; a gRPC failure is a 200 with a grpc-status trailer, so the server's own
 * {@code grpc_server_handled_total} by code, read before and after, says how many calls succeeded.
 */
final class H2Load {
    static final String SERVICE = "sidero.discovery.server.Cluster";
    private static final Pattern RATE = Pattern.compile("finished in [^,]+, ([\\d.]+) req/s");
    private static final Pattern REQUESTS = Pattern.compile(
            "requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded, (\\d+) failed, (\\d+) errored");
    private static final Pattern HANDLED = Pattern.compile("^grpc_server_handled_total\\{(.*)} ([0-9.eE+]+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * @param perSecond requests per second that h2load saw answered (summed over the processes), measurement window only
     * @param done requests h2load completed (warm-up included), {@code httpFailed} those without a 2xx
     * @param codes the server's handled calls of the method by gRPC code over the whole run (warm-up included)
     */
    record Result(double perSecond, long done, long httpFailed, Map<String, Long> codes) {
        /** Calls the server ended with a code other than OK; cancelled ones (h2load cuts its streams at its end) aside. */
        long grpcErrors() {
            return codes.entrySet().stream().filter(e -> !e.getKey().equalsIgnoreCase("OK") && !cancelled(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        private static boolean cancelled(String code) {
            return code.equalsIgnoreCase("CANCELLED") || code.equalsIgnoreCase("Canceled");
        }

        @Override
        public String toString() {
            return String.format("%9.0f req/s  (h2load: %d done, %d not 2xx; server grpc codes %s)", perSecond, done,
                    httpFailed, codes);
        }
    }

    private final String h2load;
    private final Path work;

    H2Load(String h2load, Path work) {
        this.h2load = h2load;
        this.work = work;
    }

    /** The gRPC framing of one message: not compressed, 4-byte big-endian length, the message. */
    static byte[] frame(MessageLite message) {
        byte[] m = message.toByteArray();
        return ByteBuffer.allocate(5 + m.length).put((byte) 0).putInt(m.length).put(m).array();
    }

    /**
     * {@code bodies.size()} h2load processes at once, each with {@code connections} connections of {@code streams}
     * requests in flight, posting its body to {@code method} for {@code seconds} after {@code warmupSeconds}.
     */
    Result run(int grpcPort, int metricsPort, String method, List<byte[]> bodies, int connections, int streams,
               int warmupSeconds, int seconds) throws Exception {
        Map<String, Long> before = handled(metricsPort, method);
        List<Process> processes = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            Path body = work.resolve(method + "-" + i + ".bin");
            Files.write(body, bodies.get(i));
            Path out = work.resolve(method + "-" + i + ".out");
            outputs.add(out);
            processes.add(new ProcessBuilder(h2load, "-c", Integer.toString(connections), "-m", Integer.toString(streams),
                    "-D", Integer.toString(seconds), "--warm-up-time=" + warmupSeconds,
                    "-H", "content-type: application/grpc", "-H", "te: trailers", "-d", body.toString(),
                    "http://127.0.0.1:" + grpcPort + "/" + SERVICE + "/" + method)
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start());
        }
        double rate = 0;
        long done = 0;
        long failed = 0;
        for (int i = 0; i < processes.size(); i++) {
            int rc = processes.get(i).waitFor();
            String text = Files.readString(outputs.get(i), StandardCharsets.UTF_8);
            double[] one = rc == 0 ? parse(text) : null;
            if (one == null) {
                throw new IllegalStateException("h2load failed (exit " + rc + "):\n" + text);
            }
            rate += one[0];
            done += (long) one[1];
            failed += (long) one[2];
        }
        Map<String, Long> after = handled(metricsPort, method);
        Map<String, Long> codes = new TreeMap<>();
        after.forEach((code, n) -> {
            long d = n - before.getOrDefault(code, 0L);
            if (d != 0) {
                codes.put(code, d);
            }
        });
        return new Result(rate, done, failed, codes);
    }

    /**
     * h2load's report: requests per second of the measurement window, requests done, requests failed or errored
     * (no 2xx, or a broken stream); null when it is not there.
     */
    static double[] parse(String text) {
        Matcher r = RATE.matcher(text);
        Matcher q = REQUESTS.matcher(text);
        if (!r.find() || !q.find()) {
            return null;
        }
        return new double[] {Double.parseDouble(r.group(1)), Long.parseLong(q.group(3)),
                Long.parseLong(q.group(5)) + Long.parseLong(q.group(6))};
    }

    /** The server's completed calls of one unary method, by gRPC code, from its Prometheus page. */
    static Map<String, Long> handled(int metricsPort, String method) throws IOException, InterruptedException {
        return codes(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body(), method);
    }

    /** {@code grpc_server_handled_total} of one unary method in a Prometheus page, summed by gRPC code. */
    static Map<String, Long> codes(String page, String method) {
        Map<String, Long> codes = new TreeMap<>();
        for (String line : page.split("\n")) {
            Matcher m = HANDLED.matcher(line);
            if (!m.matches()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            Matcher l = LABEL.matcher(m.group(1));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            if (method.equals(labels.get("grpc_method")) && "unary".equals(labels.get("grpc_type"))) {
                codes.merge(labels.getOrDefault("grpc_code", "?"), (long) Double.parseDouble(m.group(2)), Long::sum);
            }
        }
        return codes;
    }
}
