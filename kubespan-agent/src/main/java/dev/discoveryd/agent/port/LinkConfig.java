package dev.discoveryd.agent.port;

import dev.discoveryd.nodeclient.format.IpPrefix;
import java.util.Objects;

/**
 * The WireGuard link as KubeSpan wants it: up, with this private key, listen port and firewall mark on
 * its own UDP packets, this MTU, and {@code address} (the KubeSpan address with its /64) assigned.
 */
public record LinkConfig(String name, WireGuardKey privateKey, int listenPort, int firewallMark, int mtu,
                         IpPrefix address) {
    public static final String DEFAULT_NAME = "kubespan";
    public static final int DEFAULT_PORT = 51820;
    public static final int WIREGUARD_MARK = 0x20;
    public static final int DEFAULT_MTU = 1420;
    public static final int MIN_MTU = 1280;

    public LinkConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(address, "address");
        if (name.isEmpty() || name.length() > 15) {
            throw new IllegalArgumentException("link name must be 1-15 characters: " + name);
        }
        if (listenPort < 1 || listenPort > 65535) {
            throw new IllegalArgumentException("listen port out of range: " + listenPort);
        }
        if (mtu < MIN_MTU) {
            throw new IllegalArgumentException("MTU below " + MIN_MTU + ": " + mtu);
        }
    }
}
