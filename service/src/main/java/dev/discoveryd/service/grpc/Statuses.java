package dev.discoveryd.service.grpc;

import dev.discoveryd.core.DomainError;
import dev.discoveryd.core.DomainException;
import dev.discoveryd.service.state.DroppedException;
import dev.discoveryd.service.state.JournalException;
import dev.discoveryd.service.state.NotServedException;
import dev.discoveryd.service.state.QueueFullException;
import io.vertx.grpc.common.GrpcStatus;

import java.util.concurrent.CompletionException;

/** The one place where domain outcomes become gRPC status codes. */
final class Statuses {
    private Statuses() {
    }

    record Outcome(GrpcStatus status, String message) {
    }

    static Outcome of(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof DomainException de) {
            DomainError d = de.error();
            if (d instanceof DomainError.InvalidArgument) {
                return new Outcome(GrpcStatus.INVALID_ARGUMENT, d.message());
            }
            if (d instanceof DomainError.TooManyAffiliates || d instanceof DomainError.TooManyEndpoints) {
                return new Outcome(GrpcStatus.RESOURCE_EXHAUSTED, d.message());
            }
        }
        if (e instanceof JournalException) {
            return new Outcome(GrpcStatus.UNAVAILABLE, "the change could not be stored; try again");
        }
        if (e instanceof NotServedException) {
            // Its partition moved (or is moving) between routing and the change: Hello again and follow the redirect.
            return new Outcome(GrpcStatus.UNAVAILABLE, e.getMessage());
        }
        if (e instanceof QueueFullException) {
            // The server's own backlog (a slow log), not a limit the client controls: retry later, like a log refusal.
            return new Outcome(GrpcStatus.UNAVAILABLE, e.getMessage());
        }
        if (e instanceof DroppedException d) {
            return new Outcome(DroppedException.CANCELLED.equals(d.reason()) ? GrpcStatus.CANCELLED
                    : GrpcStatus.DEADLINE_EXCEEDED, d.getMessage());
        }
        if (e instanceof StatusException se) {
            return new Outcome(se.status(), se.getMessage());
        }
        return new Outcome(GrpcStatus.INTERNAL, "internal error");
    }
}
