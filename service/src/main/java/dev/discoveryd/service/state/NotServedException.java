package dev.discoveryd.service.state;

/** The cluster is not served by this instance (now): nothing was created or changed; the client should Hello again. */
public final class NotServedException extends RuntimeException {
    public NotServedException(String clusterId) {
        super("cluster " + clusterId + " is not served by this instance now (it moved or is being handed over);"
                + " Hello again", null, false, false);
    }
}
