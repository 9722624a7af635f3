package dev.discoveryd.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * One discovery service (Talos ServiceEndpoint): {@code endpoint} is {@code host:port} after
 * NormalizeEndpoint (http → 80 and plaintext, https/grpc → 443 and TLS, any path dropped).
 */
public record DiscoveryService(String name, String endpoint, boolean insecure) {
    public DiscoveryService {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(endpoint, "endpoint");
    }

    public static DiscoveryService parse(String name, String url, String field) throws ConfigException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new ConfigException(field + ": not a URL: \"" + url + "\"");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("grpc")) {
            throw new ConfigException(field + ": scheme must be http, https or grpc: \"" + url + "\"");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new ConfigException(field + ": a host is required: \"" + url + "\"");
        }
        boolean insecure = scheme.equals("http");
        int port = uri.getPort() > 0 ? uri.getPort() : insecure ? 80 : 443;
        String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost();
        return new DiscoveryService(name, host + ":" + port, insecure);
    }
}
