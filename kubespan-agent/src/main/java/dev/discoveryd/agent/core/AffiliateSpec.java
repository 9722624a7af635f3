package dev.discoveryd.agent.core;

import dev.discoveryd.nodeclient.format.AffiliateInfo;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** An affiliate as Talos holds it (AffiliateSpec): raw per registry, or merged by node ID. */
public record AffiliateSpec(String nodeId, List<InetAddress> addresses, String hostname, String nodename,
                            String operatingSystem, String machineType, KubeSpanSpec kubespan,
                            OptionalInt controlPlanePort) {
    public static final String UNKNOWN_TYPE = "unknown";

    public AffiliateSpec {
        Objects.requireNonNull(nodeId, "nodeId");
        addresses = List.copyOf(addresses);
        hostname = hostname == null ? "" : hostname;
        nodename = nodename == null ? "" : nodename;
        operatingSystem = operatingSystem == null ? "" : operatingSystem;
        machineType = machineType == null ? UNKNOWN_TYPE : machineType;
        Objects.requireNonNull(kubespan, "kubespan");
        Objects.requireNonNull(controlPlanePort, "controlPlanePort");
    }

    /**
     * What a Talos node makes of a discovered blob (NewAffiliateSpec): an empty machine type is
     * {@code worker}, an unknown one {@code unknown}; endpoints are read only with a kubespan section.
     */
    public static AffiliateSpec fromWire(AffiliateInfo info, List<NodeEndpoint> endpoints) {
        KubeSpanSpec kubespan = info.kubespanInfo()
                .map(k -> new KubeSpanSpec(k.publicKey(), Optional.ofNullable(k.address()), k.additionalAddresses(),
                        endpoints, List.of()))
                .orElse(KubeSpanSpec.NONE);
        return new AffiliateSpec(info.nodeId(), info.addresses(), info.hostname(), info.nodename(),
                info.operatingSystem(), MachineType.parse(info.machineType()), kubespan,
                info.controlPlaneApiServerPort());
    }
}
