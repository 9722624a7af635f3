package dev.discoveryd.nodeclient.cli;

import com.google.protobuf.MessageLite;
import dev.discoveryd.api.server.Affiliate;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.AffiliateUpdateResponse;
import dev.discoveryd.api.server.HelloResponse;
import dev.discoveryd.api.server.ListResponse;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The training run's peer, a process of its own: an h2c and a TLS (h2 by ALPN, a throwaway self-signed certificate
 * for 127.0.0.1 made by keytool) server on 127.0.0.1 that answer Hello, AffiliateUpdate and List in gRPC framing
 * (List returns the last update). Prints "plainPort tlsPort certificatePem", then serves until its stdin ends.
 */
public final class TrainPeer {
    private static final String PASSWORD = "discovery-client-train";

    private TrainPeer() {
    }

    public static void main(String[] args) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        AtomicReference<AffiliateUpdateRequest> published = new AtomicReference<>();
        Path dir = Files.createTempDirectory("discovery-client-train");
        try {
            HttpServer plain = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                    .requestHandler(request -> answer(request, published))
                    .listen().await();
            String tls = "- -"; // without keytool (a bare JRE) the training skips TLS
            Path keyStore = dir.resolve("peer.p12");
            Path pem = dir.resolve("peer.pem");
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            if (Files.isExecutable(keytool)) {
                keytool(keytool.toString(), "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "peer",
                        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "1", "-storetype", "PKCS12",
                        "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
                keytool(keytool.toString(), "-exportcert", "-rfc", "-alias", "peer", "-keystore", keyStore.toString(),
                        "-storepass", PASSWORD, "-file", pem.toString());
                HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                                .setSsl(true).setUseAlpn(true)
                                .setKeyCertOptions(new PfxOptions().setPath(keyStore.toString()).setPassword(PASSWORD)))
                        .requestHandler(request -> answer(request, published))
                        .listen().await();
                tls = server.actualPort() + " " + pem;
            }
            System.out.println(plain.actualPort() + " " + tls);
            System.out.flush();
            System.in.readAllBytes();
            vertx.close().await();
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
        System.exit(0);
    }

    private static void keytool(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
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
