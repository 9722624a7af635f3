package dev.discoveryd.service.grpc;

import io.vertx.grpc.common.GrpcStatus;

/** Sees every RPC (metrics, request logs). Called on event loops: must be quick. */
public interface ApiObserver {
    ApiObserver NONE = new ApiObserver() {
    };

    default void started(String method, boolean streaming) {
    }

    default void received(String method) {
    }

    default void sent(String method) {
    }

    default void handled(String method, boolean streaming, GrpcStatus status, long nanos) {
    }

    default void hello(String clientVersion) {
    }
}
