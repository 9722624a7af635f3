package dev.discoveryd.nodeclient.cli;

import com.google.protobuf.MessageLite;
import dev.discoveryd.api.server.Affiliate;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.AffiliateUpdateResponse;
import dev.discoveryd.api.server.HelloResponse;
import dev.discoveryd.api.server.ListResponse;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code train} (hidden): the launcher's training run for its class-data sharing archive. Publishes and lists
 * (every output format) against a loopback HTTP/2 peer (a Vert.x server: the peer's classes are archived too, but
 * only what a run loads is ever mapped) that answers the three RPCs in gRPC framing, then tries a closed port, so
 * that the archive holds the classes a real run loads. Prints nothing on success.
 */
final class TrainCommand {
    static final CliCommand COMMAND = new CliCommand("train", "Exercise the CLI once (for the launcher's start-up archive).",
            true, List.of(), TrainCommand::run);
    private static final String SECRET = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private TrainCommand() {
    }

    static int run(CliArgs args, PrintWriter out) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1).setBlockedThreadCheckInterval(1).setBlockedThreadCheckIntervalUnit(TimeUnit.HOURS)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        try {
            AtomicReference<AffiliateUpdateRequest> published = new AtomicReference<>();
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                    .requestHandler(request -> answer(request, published))
                    .listen().await();
            String endpoint = "127.0.0.1:" + server.actualPort();
            PrintWriter sink = new PrintWriter(Writer.nullWriter());
            String[] common = {"--endpoint", endpoint, "--insecure", "--cluster-id", "train", "--cluster-secret", SECRET};
            int failures = 0;
            failures += run(sink, concat(new String[] {"publish", "--hostname", "train", "--address", "192.0.2.1",
                    "--wg-endpoint", "192.0.2.1:51820", "--kubespan-public-key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
                    "--kubespan-address", "fd00::1", "--kubespan-additional-address", "10.0.0.0/24"}, common));
            for (String format : new String[] {"table", "json", "yaml"}) {
                failures += run(sink, concat(new String[] {"list", "-o", format}, common));
            }
            server.close().await();
            // Help and a usage error print to the sink; the refused path is expected to fail.
            Main.run(sink, sink, "--help");
            Main.run(sink, sink, "publish", "--help");
            Main.run(sink, sink, "list", "-o", "xml");
            Main.run(sink, sink, "list", "--endpoint", endpoint, "--insecure", "--cluster-id", "train", "--cluster-secret", SECRET);
            return failures == 0 ? 0 : 1;
        } finally {
            vertx.close();
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

    private static void answer(HttpServerRequest request, AtomicReference<AffiliateUpdateRequest> published) {
        String method = request.path().substring(request.path().lastIndexOf('/') + 1);
        request.body().onSuccess(body -> {
            MessageLite reply;
            try {
                switch (method) {
                    case "AffiliateUpdate" -> {
                        published.set(AffiliateUpdateRequest.parseFrom(body.getBytes(5, body.length())));
                        reply = AffiliateUpdateResponse.getDefaultInstance();
                    }
                    case "List" -> {
                        ListResponse.Builder list = ListResponse.newBuilder();
                        AffiliateUpdateRequest update = published.get();
                        if (update != null) {
                            list.addAffiliates(Affiliate.newBuilder().setId(update.getAffiliateId())
                                    .setData(update.getAffiliateData()).addAllEndpoints(update.getAffiliateEndpointsList()));
                        }
                        reply = list.build();
                    }
                    default -> reply = HelloResponse.getDefaultInstance();
                }
            } catch (Exception e) {
                request.response().setStatusCode(400).end();
                return;
            }
            byte[] message = reply.toByteArray();
            Buffer framed = Buffer.buffer(5 + message.length).appendByte((byte) 0).appendInt(message.length).appendBytes(message);
            request.response().putHeader("content-type", "application/grpc").putTrailer("grpc-status", "0").end(framed);
        });
    }
}
