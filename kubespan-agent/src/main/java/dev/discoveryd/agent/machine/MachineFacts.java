package dev.discoveryd.agent.machine;

import dev.discoveryd.agent.config.NodeOverrides;
import dev.discoveryd.agent.core.MachineType;
import dev.discoveryd.agent.core.NodeFacts;
import dev.discoveryd.nodeclient.format.KubeSpanAddressing;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads what the machine says about itself: hostname (FQDN from the kernel), routed addresses (no
 * loopback, link-local, multicast; links that are up; not the KubeSpan link), first hardware MAC (the
 * first physical link in name order). The config overrides each.
 */
public final class MachineFacts {
    public static final String VERSION = "v0.1.0";

    private MachineFacts() {
    }

    public static NodeFacts detect(NodeOverrides overrides, String kubespanLink) throws IOException {
        String hostname = overrides.hostname() != null ? overrides.hostname() : fqdn();
        String nodename = overrides.nodename() != null ? overrides.nodename() : hostname.toLowerCase();
        String type = overrides.machineType() != null ? overrides.machineType() : MachineType.WORKER;
        String os = overrides.operatingSystem() != null ? overrides.operatingSystem() : operatingSystem();
        List<InetAddress> addresses = overrides.addresses() != null ? overrides.addresses() : addresses(kubespanLink);
        return new NodeFacts(hostname, nodename, type, os, addresses);
    }

    /** The MAC KubeSpan derives this node's address from; empty when the machine has no hardware link. */
    public static Optional<byte[]> firstMac(NodeOverrides overrides) throws IOException {
        if (overrides.mac() != null) {
            return Optional.of(KubeSpanAddressing.parseMac(overrides.mac()));
        }
        List<NetworkInterface> links = links();
        links.sort(Comparator.comparing(NetworkInterface::getName));
        Optional<byte[]> physical = Optional.empty();
        Optional<byte[]> any = Optional.empty();
        for (NetworkInterface link : links) {
            byte[] mac = link.getHardwareAddress();
            if (mac == null || mac.length != 6 || link.isLoopback()) {
                continue;
            }
            if (physical.isEmpty() && Files.exists(Path.of("/sys/class/net", link.getName(), "device"))) {
                physical = Optional.of(mac);
            }
            if (any.isEmpty()) {
                any = Optional.of(mac);
            }
        }
        return physical.isPresent() ? physical : any;
    }

    static List<InetAddress> addresses(String kubespanLink) throws IOException {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface link : links()) {
            if (!link.isUp() || link.isLoopback() || link.getName().equals(kubespanLink)) {
                continue;
            }
            for (InetAddress ip : Collections.list(link.getInetAddresses())) {
                if (!ip.isLoopbackAddress() && !ip.isLinkLocalAddress() && !ip.isMulticastAddress()
                        && !ip.isAnyLocalAddress() && !out.contains(ip)) {
                    out.add(InetAddress.getByAddress(ip.getAddress())); // drop the scope ID
                }
            }
        }
        return out;
    }

    private static List<NetworkInterface> links() throws SocketException {
        return new ArrayList<>(Collections.list(NetworkInterface.getNetworkInterfaces()));
    }

    private static String fqdn() {
        String host = read("/proc/sys/kernel/hostname").orElse("localhost");
        String domain = read("/proc/sys/kernel/domainname").orElse("(none)");
        return domain.isEmpty() || domain.equals("(none)") || host.contains(".") ? host : host + "." + domain;
    }

    private static String operatingSystem() {
        String agent = "kubespan-agent " + VERSION;
        Optional<String> pretty = read("/etc/os-release").flatMap(text -> text.lines()
                .filter(l -> l.startsWith("PRETTY_NAME=")).findFirst()
                .map(l -> l.substring("PRETTY_NAME=".length()).replace("\"", "")));
        return pretty.map(p -> p + " (" + agent + ")").orElse(agent);
    }

    private static Optional<String> read(String file) {
        try {
            return Optional.of(Files.readString(Path.of(file)).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
