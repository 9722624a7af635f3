package dev.discoveryd.nodeclient.client;

import dev.discoveryd.api.server.HelloResponse;
import dev.discoveryd.nodeclient.format.BlobFormatException;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.state.Requests;
import dev.discoveryd.nodeclient.state.ServerAddress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hello with a server, following redirects: yields an RPC handle on the server that accepted us. */
public final class Handshake {
    /** @param publicIp the address the server saw us coming from, or null if it sent none usable */
    public record Connected(ClusterRpc rpc, InetAddress publicIp) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Handshake.class);
    private static final int MAX_REDIRECTS = 5;

    private Handshake() {
    }

    public static Future<Connected> connect(Vertx vertx, ServerAddress server, DiscoveryClientOptions options) {
        return attempt(vertx, server, options, MAX_REDIRECTS);
    }

    private static Future<Connected> attempt(Vertx vertx, ServerAddress server, DiscoveryClientOptions options, int redirectsLeft) {
        ClusterRpc rpc = new ClusterRpc(vertx, server, options);
        return rpc.hello(Requests.hello(options.clusterId(), options.clientVersion()), options.helloTimeout())
                .transform(ar -> {
                    if (ar.failed()) {
                        rpc.close();
                        return Future.failedFuture(ar.cause());
                    }
                    HelloResponse response = ar.result();
                    if (!response.hasRedirect() || response.getRedirect().getEndpoint().isEmpty()) {
                        return Future.succeededFuture(new Connected(rpc, clientIp(response)));
                    }
                    rpc.close();
                    if (redirectsLeft == 0) {
                        return Future.failedFuture(new IllegalStateException("too many redirects"));
                    }
                    ServerAddress next;
                    try {
                        next = server.redirectTo(response.getRedirect().getEndpoint());
                    } catch (IllegalArgumentException e) {
                        return Future.failedFuture(e);
                    }
                    LOG.info("{} redirects to {}", server, next);
                    return attempt(vertx, next, options, redirectsLeft - 1);
                });
    }

    private static InetAddress clientIp(HelloResponse response) {
        if (response.getClientIp().isEmpty()) {
            return null;
        }
        try {
            return IpText.fromBytes(response.getClientIp().toByteArray());
        } catch (BlobFormatException e) {
            LOG.debug("server sent an unusable client IP: {}", e.getMessage());
            return null;
        }
    }
}
