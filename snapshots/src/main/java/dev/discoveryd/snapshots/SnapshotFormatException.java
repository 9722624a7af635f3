package dev.discoveryd.snapshots;

/** A stored snapshot entry that decrypted but does not decode: damaged, or written by an unknown format version. */
public final class SnapshotFormatException extends RuntimeException {
    public SnapshotFormatException(String message) {
        super(message);
    }

    public SnapshotFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
