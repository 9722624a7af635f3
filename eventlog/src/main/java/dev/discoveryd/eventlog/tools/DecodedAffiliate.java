package dev.discoveryd.eventlog.tools;

import java.util.List;

/**
 * What a node announced in its affiliate data, as text. {@code kubespanPublicKey} and {@code kubespanAddress} are
 * null when the node does not run KubeSpan (or did not publish an address).
 */
public record DecodedAffiliate(String nodeId, String hostname, String nodename, String machineType,
                               String operatingSystem, List<String> addresses, String kubespanPublicKey,
                               String kubespanAddress, List<String> kubespanAdditionalAddresses) {
    public DecodedAffiliate {
        addresses = List.copyOf(addresses);
        kubespanAdditionalAddresses = List.copyOf(kubespanAdditionalAddresses);
    }
}
