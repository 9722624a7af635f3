package dev.discoveryd.crypto;

/** A value could not be sealed or opened: wrong or missing key, or the bytes were modified. */
public final class SealException extends RuntimeException {
    public SealException(String message) {
        super(message);
    }
}
