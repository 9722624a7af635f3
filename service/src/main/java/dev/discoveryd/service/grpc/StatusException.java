package dev.discoveryd.service.grpc;

import io.vertx.grpc.common.GrpcStatus;

/** An edge-level refusal (rate limit, shutdown) that already knows its status. */
public final class StatusException extends RuntimeException {
    private final GrpcStatus status;

    public StatusException(GrpcStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public GrpcStatus status() {
        return status;
    }
}
