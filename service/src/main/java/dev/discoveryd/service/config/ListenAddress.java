package dev.discoveryd.service.config;

/** A Go-style listen address: ":3000", "127.0.0.1:0", "[::1]:3000"; an empty text disables the listener. */
public record ListenAddress(String host, int port) {

    public static ListenAddress parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.trim();
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("address \"" + text + "\" needs a port, e.g. :3000 or 127.0.0.1:3000");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address \"" + text + "\" has no valid port");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("address \"" + text + "\" has a port outside 0..65535");
        }
        return new ListenAddress(host.isEmpty() ? "0.0.0.0" : host, port);
    }

    public ListenAddress withPort(int newPort) {
        return new ListenAddress(host, newPort);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
