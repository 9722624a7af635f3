package dev.discoveryd.agent.core;

import java.net.InetAddress;

/** Talos's unique-local-address purposes (res/network/ula.go): fd00::/8 with the purpose in byte 7. */
public final class KubeSpanUla {
    public static final int KUBESPAN = 0x02;
    public static final int SIDEROLINK = 0x03;

    private KubeSpanUla() {
    }

    public static boolean is(InetAddress ip, int purpose) {
        byte[] raw = ip.getAddress();
        return raw.length == 16 && (raw[0] & 0xff) == 0xfd && raw[7] == purpose;
    }
}
