package dev.discoveryd.nodeclient.h2;

/** One HTTP/2 header field; names are lower case, both sides are octets read as ISO-8859-1. */
public record Header(String name, String value) {
    /** The size HPACK charges for an entry (RFC 7541 section 4.1). */
    int hpackSize() {
        return name.length() + value.length() + 32;
    }
}
