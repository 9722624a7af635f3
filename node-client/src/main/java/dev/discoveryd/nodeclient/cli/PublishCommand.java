package dev.discoveryd.nodeclient.cli;

import dev.discoveryd.nodeclient.client.ClusterRpc;
import dev.discoveryd.nodeclient.client.DiscoveryClientOptions;
import dev.discoveryd.nodeclient.client.Handshake;
import dev.discoveryd.nodeclient.format.AffiliateInfo;
import dev.discoveryd.nodeclient.format.ClusterSealer;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.KubeSpanInfo;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import dev.discoveryd.nodeclient.format.NodeId;
import dev.discoveryd.nodeclient.state.Requests;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "publish", description = "Publish one affiliate once (Hello + AffiliateUpdate) and exit.")
final class PublishCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec spec;

    @Option(names = "--node-id", description = "Affiliate/node ID (default: a new random Talos-style ID).")
    String nodeId;

    @Option(names = "--hostname", defaultValue = "", description = "Hostname.")
    String hostname;

    @Option(names = "--nodename", description = "Kubernetes node name (default: the hostname).")
    String nodename;

    @Option(names = "--machine-type", defaultValue = "worker", description = "controlplane or worker (default: ${DEFAULT-VALUE}).")
    String machineType;

    @Option(names = "--operating-system", defaultValue = "discoveryd node-client", description = "Operating system text.")
    String operatingSystem;

    @Option(names = "--address", paramLabel = "IP", description = "Node address (repeatable).")
    List<String> addresses = new ArrayList<>();

    @Option(names = "--wg-endpoint", paramLabel = "IP:PORT", description = "WireGuard endpoint, [ipv6]:port for IPv6 (repeatable).")
    List<String> endpoints = new ArrayList<>();

    @Option(names = "--kubespan-public-key", paramLabel = "BASE64", description = "KubeSpan WireGuard public key.")
    String kubespanPublicKey;

    @Option(names = "--kubespan-address", paramLabel = "IP", description = "KubeSpan address (with --kubespan-public-key).")
    String kubespanAddress;

    @Option(names = "--kubespan-additional-address", paramLabel = "CIDR",
            description = "KubeSpan additional address, e.g. a pod CIDR (repeatable, with --kubespan-public-key).")
    List<String> additionalAddresses = new ArrayList<>();

    @Option(names = "--ttl", defaultValue = "30m", converter = DurationConverter.class, description = "TTL, e.g. 30m, 90s (default: ${DEFAULT-VALUE}).")
    Duration ttl;

    @Override
    public Integer call() throws Exception {
        String id = nodeId == null ? NodeId.generate() : nodeId;
        DiscoveryClientOptions options = connection.clientOptions(id).setTtl(ttl);
        AffiliateInfo info = new AffiliateInfo(id, hostname, nodename == null ? hostname : nodename, machineType,
                operatingSystem, addresses.stream().map(IpText::parse).toList(),
                kubespanPublicKey == null ? null : new KubeSpanInfo(kubespanPublicKey,
                        kubespanAddress == null ? null : IpText.parse(kubespanAddress),
                        additionalAddresses.stream().map(IpPrefix::parse).toList()), null);
        List<NodeEndpoint> wgEndpoints = endpoints.stream().map(NodeEndpoint::parse).toList();
        ClusterSealer codec = new ClusterSealer(options.clusterSecret());
        Vertx vertx = OneShot.vertx();
        try {
            OneShot.await(Handshake.connect(vertx, connection.server(), options).compose(connected -> {
                ClusterRpc rpc = connected.rpc();
                return rpc.update(Requests.update(options.clusterId(), id, codec.sealAffiliate(info),
                                wgEndpoints.stream().map(codec::sealEndpoint).toList(), ttl), options.updateTimeout())
                        .andThen(ar -> rpc.close());
            }), connection.server());
            spec.commandLine().getOut().println("published " + id);
            spec.commandLine().getOut().flush();
            return 0;
        } finally {
            vertx.close();
        }
    }
}
