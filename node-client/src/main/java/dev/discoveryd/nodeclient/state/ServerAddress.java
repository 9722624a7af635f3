package dev.discoveryd.nodeclient.state;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where a discovery server listens: {@code https://host[:port]} (TLS, default 443),
 * {@code http://host[:port]} (plaintext h2c, default 80) or a bare {@code host:port}.
 */
public record ServerAddress(String host, int port, boolean tls) {
    public ServerAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("server address needs a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Parses a URL, or a bare {@code host[:port]} that uses TLS unless {@code bareIsPlaintext}. */
    public static ServerAddress parse(String text, boolean bareIsPlaintext) {
        String trimmed = text.trim();
        if (trimmed.startsWith("https://") || trimmed.startsWith("http://")) {
            boolean tls = trimmed.startsWith("https://");
            try {
                URI uri = new URI(trimmed);
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException("no host in endpoint URL: " + text);
                }
                String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
                return new ServerAddress(host, uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80, tls);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("bad endpoint URL: " + text);
            }
        }
        if (trimmed.contains("://")) {
            throw new IllegalArgumentException("endpoint scheme must be https:// or http://: " + text);
        }
        return bare(trimmed, !bareIsPlaintext);
    }

    /** A redirect target ({@code host:port}) keeps the transport of the server that sent it. */
    public ServerAddress redirectTo(String endpoint) {
        return bare(endpoint.trim(), tls);
    }

    private static ServerAddress bare(String text, boolean tls) {
        int defaultPort = tls ? 443 : 80;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed [ in endpoint: " + text);
            }
            String rest = text.substring(close + 1);
            return new ServerAddress(text.substring(1, close), rest.isEmpty() ? defaultPort : port(rest.substring(1), text), tls);
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            return new ServerAddress(text, defaultPort, tls);
        }
        if (text.indexOf(':') != colon) {
            return new ServerAddress(text, defaultPort, tls);
        }
        return new ServerAddress(text.substring(0, colon), port(text.substring(colon + 1), text), tls);
    }

    private static int port(String digits, String whole) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in endpoint: " + whole);
        }
    }

    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (tls ? "https://" : "http://") + h + ":" + port;
    }
}
