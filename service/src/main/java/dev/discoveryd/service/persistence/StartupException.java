package dev.discoveryd.service.persistence;

/** The service cannot start; the message says why and what to run. Printed without a stack trace. */
public final class StartupException extends RuntimeException {
    public StartupException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
