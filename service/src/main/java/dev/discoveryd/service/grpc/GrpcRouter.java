package dev.discoveryd.service.grpc;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.GrpcStatus;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Routes gRPC requests (HTTP/2 POSTs with a gRPC content type) to the methods of one service by their path, and
 * answers everything else that reaches it with a gRPC status, as grpc-go does. Methods are bound before the first
 * request and never change.
 */
public final class GrpcRouter implements Handler<HttpServerRequest> {
    /** Request headers a call may carry, counted as HTTP/2 does (name + value + 32 per field); Talos sends under 1 KiB. */
    public static final int MAX_HEADER_LIST = 32 * 1024;
    /** What the HTTP/2 layer decodes (and advertises) at most; 1.25 times this in one header block ends the connection. */
    public static final int MAX_HEADER_BUFFER = 256 * 1024;

    private final String service;
    private final int maxMessageBytes;
    private final Map<String, Consumer<GrpcCall>> methods = new HashMap<>();

    public GrpcRouter(String service, int maxMessageBytes) {
        this.service = service;
        this.maxMessageBytes = maxMessageBytes;
    }

    void method(String name, Consumer<GrpcCall> handler) {
        methods.put("/" + service + "/" + name, handler);
    }

    @Override
    public void handle(HttpServerRequest request) {
        String path = request.path() == null ? "" : request.path();
        Consumer<GrpcCall> handler = methods.get(path);
        String name = path.substring(path.lastIndexOf('/') + 1);
        long timeout;
        try {
            timeout = GrpcText.timeoutMillis(request.getHeader("grpc-timeout"));
        } catch (StatusException e) {
            new GrpcCall(request, name, 0, maxMessageBytes).finish(e.status(), e.getMessage());
            return;
        }
        GrpcCall call = new GrpcCall(request, name, timeout, maxMessageBytes);
        long headerBytes = headerListSize(request);
        if (headerBytes > MAX_HEADER_LIST) {
            // Refused on its own stream: the connection, and the client's other calls on it, carry on.
            call.finish(GrpcStatus.RESOURCE_EXHAUSTED, "grpc: request headers of " + headerBytes + " bytes exceed the limit of "
                    + MAX_HEADER_LIST);
        } else if (request.method() != HttpMethod.POST) {
            call.finish(GrpcStatus.UNIMPLEMENTED, "grpc: method " + request.method() + " is not POST");
        } else if (handler == null) {
            call.finish(GrpcStatus.UNIMPLEMENTED, unknown(path));
        } else {
            handler.accept(call);
        }
    }

    private static long headerListSize(HttpServerRequest request) {
        long size = 0;
        for (Map.Entry<String, String> h : request.headers()) {
            size += h.getKey().length() + h.getValue().length() + 32;
        }
        return size;
    }

    private String unknown(String path) {
        int slash = path.lastIndexOf('/');
        if (!path.startsWith("/") || slash <= 0) {
            return "malformed method name: \"" + path + "\"";
        }
        String svc = path.substring(1, slash);
        return svc.equals(service) ? "unknown method " + path.substring(slash + 1) + " for service " + svc
                : "unknown service " + svc;
    }
}
