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
import java.util.concurrent.atomic.AtomicReference;

/**
 * The training run's peer, a process of its own: an h2c server on 127.0.0.1 that answers Hello, AffiliateUpdate and
 * List in gRPC framing (List returns the last update). Prints its port, then serves until its stdin ends.
 */
public final class TrainPeer {
    private TrainPeer() {
    }

    public static void main(String[] args) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        AtomicReference<AffiliateUpdateRequest> published = new AtomicReference<>();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(request -> answer(request, published))
                .listen().await();
        System.out.println(server.actualPort());
        System.out.flush();
        System.in.readAllBytes();
        vertx.close().await();
        System.exit(0);
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
