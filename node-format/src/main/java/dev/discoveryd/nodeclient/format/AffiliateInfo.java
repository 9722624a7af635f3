package dev.discoveryd.nodeclient.format;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The decrypted content of an affiliate blob.
 *
 * @param kubespan      null when the node does not run KubeSpan
 * @param apiServerPort null unless the node is a control plane node that published it
 */
public record AffiliateInfo(String nodeId, String hostname, String nodename, String machineType,
                            String operatingSystem, List<InetAddress> addresses, KubeSpanInfo kubespan,
                            Integer apiServerPort) {
    public AffiliateInfo {
        nodeId = nullToEmpty(nodeId);
        hostname = nullToEmpty(hostname);
        nodename = nullToEmpty(nodename);
        machineType = nullToEmpty(machineType);
        operatingSystem = nullToEmpty(operatingSystem);
        addresses = List.copyOf(addresses);
    }

    public Optional<KubeSpanInfo> kubespanInfo() {
        return Optional.ofNullable(kubespan);
    }

    public OptionalInt controlPlaneApiServerPort() {
        return apiServerPort == null ? OptionalInt.empty() : OptionalInt.of(apiServerPort);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
