package dev.discoveryd.nodeclient.h2;

import java.io.IOException;

/** A call that the server answered with a non-OK gRPC status. */
public final class GrpcStatusException extends IOException {
    private static final String[] NAMES = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
        "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
        "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};

    private final int code;

    public GrpcStatusException(int code, String message) {
        super(name(code) + (message == null || message.isEmpty() ? "" : ": " + message));
        this.code = code;
    }

    public int code() {
        return code;
    }

    static String name(int code) {
        return code >= 0 && code < NAMES.length ? NAMES[code] : "status " + code;
    }
}
