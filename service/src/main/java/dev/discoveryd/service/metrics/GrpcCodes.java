package dev.discoveryd.service.metrics;

import io.vertx.grpc.common.GrpcStatus;

/** gRPC status codes spelled as Go's codes.Code.String() spells them, which is what grpc_code labels carry. */
final class GrpcCodes {
    private static final String[] NAMES = {
            "OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound", "AlreadyExists",
            "PermissionDenied", "ResourceExhausted", "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented",
            "Internal", "Unavailable", "DataLoss", "Unauthenticated"};

    private GrpcCodes() {
    }

    static String name(GrpcStatus status) {
        int code = status.code;
        return code >= 0 && code < NAMES.length ? NAMES[code] : "Code(" + code + ")";
    }
}
