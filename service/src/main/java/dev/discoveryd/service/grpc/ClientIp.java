package dev.discoveryd.service.grpc;

import io.netty.util.NetUtil;
import io.vertx.core.MultiMap;
import io.vertx.core.net.SocketAddress;

import java.util.Arrays;

/**
 * Finds the caller's address: X-Real-IP, then the first X-Forwarded-For entry (each only when trusted), then the TCP
 * peer. Header values are parsed as IP literals only (never resolved); a malformed one is skipped.
 */
public final class ClientIp {
    private final boolean trustXRealIp;
    private final boolean trustFirstXForwardedFor;

    public ClientIp(boolean trustXRealIp, boolean trustFirstXForwardedFor) {
        this.trustXRealIp = trustXRealIp;
        this.trustFirstXForwardedFor = trustFirstXForwardedFor;
    }

    /** The address as 4 bytes (IPv4, including IPv4-mapped IPv6) or 16 bytes (IPv6); empty when unknown. */
    public byte[] resolve(MultiMap headers, SocketAddress peer) {
        if (trustXRealIp) {
            byte[] ip = parse(headers.get("x-real-ip"));
            if (ip != null) {
                return ip;
            }
        }
        if (trustFirstXForwardedFor) {
            String forwarded = headers.get("x-forwarded-for");
            if (forwarded != null) {
                int comma = forwarded.indexOf(',');
                byte[] ip = parse(comma < 0 ? forwarded : forwarded.substring(0, comma));
                if (ip != null) {
                    return ip;
                }
            }
        }
        byte[] ip = peer == null ? null : parse(peer.hostAddress());
        return ip == null ? new byte[0] : ip;
    }

    static byte[] parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(s);
        if (ip == null) {
            return null;
        }
        if (ip.length == 16 && isV4Mapped(ip)) {
            return Arrays.copyOfRange(ip, 12, 16);
        }
        return ip;
    }

    private static boolean isV4Mapped(byte[] ip) {
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
    }

    /** A printable form of a resolved address (for rate-limit keys and logs). */
    public static String text(byte[] ip) {
        if (ip.length == 0) {
            return "unknown";
        }
        return NetUtil.bytesToIpAddress(ip);
    }
}
