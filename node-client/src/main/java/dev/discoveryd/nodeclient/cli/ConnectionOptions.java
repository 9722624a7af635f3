package dev.discoveryd.nodeclient.cli;

import dev.discoveryd.nodeclient.client.DiscoveryClientOptions;
import dev.discoveryd.nodeclient.format.ClusterSecret;
import dev.discoveryd.nodeclient.state.ServerAddress;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options every command shares: where the server is, how to trust it, which cluster. */
final class ConnectionOptions {
    @Option(names = "--endpoint", required = true, paramLabel = "URL_OR_HOST:PORT",
            description = "Discovery service: https://host[:port] (TLS, default 443), http://host[:port] (plaintext), or host:port (TLS unless --insecure).")
    String endpoint;

    @Option(names = "--insecure",
            description = "For host:port endpoints: plaintext instead of TLS. For https:// URLs: do not verify the server certificate.")
    boolean insecure;

    @Option(names = "--ca-file", paramLabel = "PEM", description = "Trust these CA certificates instead of the JVM defaults.")
    String caFile;

    @Option(names = "--cluster-id", required = true, description = "Cluster ID, as in the machine config.")
    String clusterId;

    @Option(names = "--cluster-secret", required = true, paramLabel = "BASE64", description = "Cluster secret (base64 of 32 bytes).")
    String clusterSecret;

    @Option(names = "--connect-timeout", defaultValue = "3s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Give up on a server that does not accept the connection within this (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Option(names = {"-v", "--verbose"}, description = "Log connection events to stderr (repeat for debug).")
    boolean[] verbose = new boolean[0];

    ServerAddress server() {
        boolean scheme = endpoint.contains("://");
        return ServerAddress.parse(endpoint, insecure && !scheme);
    }

    DiscoveryClientOptions clientOptions(String affiliateId) {
        ServerAddress server = server();
        return new DiscoveryClientOptions()
                .addServer(server)
                .setTrustAll(insecure && server.tls())
                .setCaCertificatePath(caFile)
                .setClusterId(clusterId)
                .setClusterSecret(ClusterSecret.fromBase64(clusterSecret))
                .setAffiliateId(affiliateId)
                .setConnectTimeout(connectTimeout);
    }
}
