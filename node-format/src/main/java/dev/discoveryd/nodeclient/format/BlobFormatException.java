package dev.discoveryd.nodeclient.format;

/** A blob that cannot be decrypted or parsed; expected from foreign or corrupt data, so no stack trace. */
public final class BlobFormatException extends Exception {
    public BlobFormatException(String message) {
        super(message, null, false, false);
    }
}
