package dev.discoveryd.nodeclient.format;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** KubeSpan unique local addressing: the cluster's /64 and each node's EUI-64 /128 inside it. */
public final class KubeSpanAddressing {
    private static final byte ULA_PREFIX = (byte) 0xfd;
    private static final byte KUBESPAN_PURPOSE = 0x02;

    private KubeSpanAddressing() {
    }

    public static IpPrefix subnet(String clusterId) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(clusterId.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
        byte[] ip = Arrays.copyOfRange(hash, 16, 32);
        ip[0] = ULA_PREFIX;
        ip[7] = KUBESPAN_PURPOSE;
        Arrays.fill(ip, 8, 16, (byte) 0);
        return new IpPrefix(toAddress(ip), 64);
    }

    public static IpPrefix nodeAddress(IpPrefix subnet, byte[] mac) {
        if (mac.length != 6) {
            throw new IllegalArgumentException("MAC address must be 6 bytes");
        }
        byte[] ip = subnet.ip().getAddress();
        if (ip.length != 16 || subnet.bits() != 64) {
            throw new IllegalArgumentException("KubeSpan subnet must be an IPv6 /64");
        }
        ip[8] = (byte) (mac[0] ^ 0x02);
        ip[9] = mac[1];
        ip[10] = mac[2];
        ip[11] = (byte) 0xff;
        ip[12] = (byte) 0xfe;
        ip[13] = mac[3];
        ip[14] = mac[4];
        ip[15] = mac[5];
        return new IpPrefix(toAddress(ip), 128);
    }

    public static byte[] parseMac(String text) {
        String[] parts = text.split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            mac[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return mac;
    }

    private static InetAddress toAddress(byte[] ip) {
        try {
            return InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always a valid address", e);
        }
    }
}
