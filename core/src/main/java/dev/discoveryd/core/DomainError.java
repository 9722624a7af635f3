package dev.discoveryd.core;

/**
 * Why the core refused a command. The core only names the reason; the edge (gRPC) picks the status code.
 */
public sealed interface DomainError {
    String message();

    /** The request itself is malformed: an ID, data, endpoint or TTL outside the protocol's limits. */
    record InvalidArgument(String message) implements DomainError {
    }

    /** Accepting the request would exceed the affiliates-per-cluster limit. */
    record TooManyAffiliates(String message) implements DomainError {
    }

    /** Accepting the request would exceed the endpoints-per-affiliate limit. */
    record TooManyEndpoints(String message) implements DomainError {
    }
}
