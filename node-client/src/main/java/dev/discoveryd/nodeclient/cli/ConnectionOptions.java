package dev.discoveryd.nodeclient.cli;

import dev.discoveryd.api.GoDuration;
import dev.discoveryd.nodeclient.client.DiscoveryClientOptions;
import dev.discoveryd.nodeclient.format.ClusterSecret;
import dev.discoveryd.nodeclient.state.ServerAddress;
import java.time.Duration;
import java.util.List;

/** Options every command shares: where the server is, how to trust it, which cluster, how to print. */
final class ConnectionOptions {
    static final CliOption<String> ENDPOINT = CliOption.value("URL_OR_HOST:PORT",
            "Discovery service: https://host[:port] (TLS, default 443), http://host[:port] (plaintext), or host:port (TLS unless --insecure).",
            "--endpoint").require();
    static final CliOption<Boolean> INSECURE = CliOption.flag(
            "For host:port endpoints: plaintext instead of TLS. For https:// URLs: do not verify the server certificate.",
            "--insecure");
    static final CliOption<String> CA_FILE = CliOption.value("PEM", "Trust these CA certificates instead of the JVM defaults.",
            "--ca-file");
    static final CliOption<String> CLUSTER_ID = CliOption.value("<clusterId>", "Cluster ID, as in the machine config.",
            "--cluster-id").require();
    static final CliOption<String> CLUSTER_SECRET = CliOption.value("BASE64", "Cluster secret (base64 of 32 bytes).",
            "--cluster-secret").require();
    static final CliOption<Duration> CONNECT_TIMEOUT = CliOption.value("DURATION",
            "Give up on a server that does not accept the connection within this (default: ${DEFAULT-VALUE}).",
            "--connect-timeout").as(GoDuration::parse).defaultValue("3s");
    static final CliOption<OutputFormat> OUTPUT = CliOption.value("FORMAT",
            "Output format: table, json, yaml (default: ${DEFAULT-VALUE}).", "-o", "--output")
            .as(OutputFormat::parse).defaultValue("table");
    static final CliOption<Integer> VERBOSE = CliOption.count("Log connection events to stderr (repeat for debug).",
            "-v", "--verbose");
    static final CliOption<Boolean> HELP = CliOption.flag("Show this help message and exit.", "-h", "--help");

    /** In help order. */
    static final List<CliOption<?>> OPTIONS = List.of(ENDPOINT, INSECURE, CA_FILE, CLUSTER_ID, CLUSTER_SECRET,
            CONNECT_TIMEOUT, OUTPUT, VERBOSE, HELP);

    final String endpoint;
    final boolean insecure;
    final String caFile;
    final String clusterId;
    final String clusterSecret;
    final Duration connectTimeout;
    final OutputFormat output;

    ConnectionOptions(CliArgs args) {
        endpoint = args.get(ENDPOINT);
        insecure = args.has(INSECURE);
        caFile = args.get(CA_FILE);
        clusterId = args.get(CLUSTER_ID);
        clusterSecret = args.get(CLUSTER_SECRET);
        connectTimeout = args.get(CONNECT_TIMEOUT);
        output = args.get(OUTPUT);
    }

    /** The shared options followed by a command's own. */
    static List<CliOption<?>> with(List<CliOption<?>> own) {
        return java.util.stream.Stream.concat(OPTIONS.stream(), own.stream()).toList();
    }

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
