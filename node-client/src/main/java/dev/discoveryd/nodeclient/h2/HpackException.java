package dev.discoveryd.nodeclient.h2;

import java.io.IOException;

/** A header block that does not decode: a connection error (COMPRESSION_ERROR) in HTTP/2 terms. */
final class HpackException extends IOException {
    HpackException(String message) {
        super(message);
    }
}
