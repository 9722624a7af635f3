package dev.discoveryd.service.grpc;

/**
 * Where a cluster's requests are served, when several instances share the clusters: here, at another instance's
 * endpoint, or nowhere for a moment (a hand-over). A single instance serves everything.
 */
@FunctionalInterface
public interface Routing {
    Routing LOCAL = clusterId -> Route.LOCAL;

    Route route(String clusterId);

    sealed interface Route {
        Local LOCAL = new Local();

        /** Served here. */
        record Local() implements Route {
        }

        /** Served by the instance at {@code endpoint} (host:port, as clients connect to it). */
        record Elsewhere(String endpoint) implements Route {
        }

        /** Served by nobody right now; the client should retry shortly. */
        record HandOver(String reason) implements Route {
        }
    }
}
