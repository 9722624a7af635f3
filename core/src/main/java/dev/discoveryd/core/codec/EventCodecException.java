package dev.discoveryd.core.codec;

/** Bytes that are not an encoded event this codec understands. */
public final class EventCodecException extends RuntimeException {
    public EventCodecException(String message) {
        super(message);
    }
}
