package dev.discoveryd.nodeclient.cli;

import dev.discoveryd.api.GoDuration;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.AffiliateUpdateResponse;
import dev.discoveryd.nodeclient.client.DiscoveryClientOptions;
import dev.discoveryd.nodeclient.format.AffiliateInfo;
import dev.discoveryd.nodeclient.format.ClusterSealer;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.KubeSpanInfo;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import dev.discoveryd.nodeclient.format.NodeId;
import dev.discoveryd.nodeclient.state.Requests;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/** {@code publish}: one Hello and one AffiliateUpdate, then exit. */
final class PublishCommand {
    static final CliOption<String> NODE_ID = CliOption.value("<nodeId>",
            "Affiliate/node ID (default: a new random Talos-style ID).", "--node-id");
    static final CliOption<String> HOSTNAME = CliOption.value("<hostname>", "Hostname.", "--hostname").defaultValue("");
    static final CliOption<String> NODENAME = CliOption.value("<nodename>", "Kubernetes node name (default: the hostname).",
            "--nodename");
    static final CliOption<String> MACHINE_TYPE = CliOption.value("<machineType>",
            "controlplane or worker (default: ${DEFAULT-VALUE}).", "--machine-type").defaultValue("worker");
    static final CliOption<String> OPERATING_SYSTEM = CliOption.value("<operatingSystem>", "Operating system text.",
            "--operating-system").defaultValue("discoveryd node-client");
    static final CliOption<String> ADDRESS = CliOption.list("IP", "Node address (repeatable).", "--address");
    static final CliOption<String> WG_ENDPOINT = CliOption.list("IP:PORT",
            "WireGuard endpoint, [ipv6]:port for IPv6 (repeatable).", "--wg-endpoint");
    static final CliOption<String> KUBESPAN_PUBLIC_KEY = CliOption.value("BASE64", "KubeSpan WireGuard public key.",
            "--kubespan-public-key");
    static final CliOption<String> KUBESPAN_ADDRESS = CliOption.value("IP",
            "KubeSpan address (with --kubespan-public-key).", "--kubespan-address");
    static final CliOption<String> KUBESPAN_ADDITIONAL = CliOption.list("CIDR",
            "KubeSpan additional address, e.g. a pod CIDR (repeatable, with --kubespan-public-key).",
            "--kubespan-additional-address");
    static final CliOption<Duration> TTL = CliOption.value("<ttl>", "TTL, e.g. 30m, 90s (default: ${DEFAULT-VALUE}).", "--ttl")
            .as(GoDuration::parse).defaultValue("30m");

    static final CliCommand COMMAND = new CliCommand("publish",
            "Publish one affiliate once (Hello + AffiliateUpdate) and exit.", false,
            ConnectionOptions.with(List.of(NODE_ID, HOSTNAME, NODENAME, MACHINE_TYPE, OPERATING_SYSTEM, ADDRESS,
                    WG_ENDPOINT, KUBESPAN_PUBLIC_KEY, KUBESPAN_ADDRESS, KUBESPAN_ADDITIONAL, TTL)),
            PublishCommand::run);

    private PublishCommand() {
    }

    static int run(CliArgs args, PrintWriter out) throws Exception {
        ConnectionOptions connection = new ConnectionOptions(args);
        String id = args.get(NODE_ID) == null ? NodeId.generate() : args.get(NODE_ID);
        Duration ttl = args.get(TTL);
        String hostname = args.get(HOSTNAME);
        String kubespanPublicKey = args.get(KUBESPAN_PUBLIC_KEY);
        String kubespanAddress = args.get(KUBESPAN_ADDRESS);
        DiscoveryClientOptions options = connection.clientOptions(id).setTtl(ttl);
        AffiliateInfo info = new AffiliateInfo(id, hostname, args.get(NODENAME) == null ? hostname : args.get(NODENAME),
                args.get(MACHINE_TYPE), args.get(OPERATING_SYSTEM), args.all(ADDRESS).stream().map(IpText::parse).toList(),
                kubespanPublicKey == null ? null : new KubeSpanInfo(kubespanPublicKey,
                        kubespanAddress == null ? null : IpText.parse(kubespanAddress),
                        args.all(KUBESPAN_ADDITIONAL).stream().map(IpPrefix::parse).toList()), null);
        List<NodeEndpoint> wgEndpoints = args.all(WG_ENDPOINT).stream().map(NodeEndpoint::parse).toList();
        ClusterSealer codec = new ClusterSealer(options.clusterSecret());
        AffiliateUpdateRequest update = Requests.update(options.clusterId(), id, codec.sealAffiliate(info),
                wgEndpoints.stream().map(codec::sealEndpoint).toList(), ttl);
        try (OneShot server = OneShot.connect(connection.server(), options)) {
            server.call(OneShot.UPDATE, update, AffiliateUpdateResponse.parser(), options.updateTimeout());
        }
        out.println("published " + id);
        out.flush();
        return 0;
    }
}
