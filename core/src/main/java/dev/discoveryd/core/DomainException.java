package dev.discoveryd.core;

/** Carries a {@link DomainError} out of the core; expected, so it has no stack trace. */
public final class DomainException extends RuntimeException {
    private final DomainError error;

    public DomainException(DomainError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public DomainError error() {
        return error;
    }
}
