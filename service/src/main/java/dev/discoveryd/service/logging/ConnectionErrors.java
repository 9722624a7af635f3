package dev.discoveryd.service.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Socket-level trouble on a public port (scanners, failed TLS handshakes, resets) is normal traffic, not a fault:
 * one line at debug level without a stack trace, instead of Vert.x's default error report.
 */
public final class ConnectionErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionErrors.class);

    private ConnectionErrors() {
    }

    /** Before HTTP is established, e.g. a failed TLS handshake. */
    public static void beforeHttp(Throwable error) {
        LOG.debug("connection failed before HTTP: {}", describe(error));
    }

    /** On an established connection. */
    public static void onConnection(Throwable error) {
        LOG.debug("connection error: {}", describe(error));
    }

    static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
