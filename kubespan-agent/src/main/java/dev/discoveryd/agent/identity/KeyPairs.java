package dev.discoveryd.agent.identity;

import dev.discoveryd.agent.port.WireGuardKey;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/** Curve25519 keys the way WireGuard makes them (clamped private key, public = X25519(private, 9)). */
public final class KeyPairs {
    private KeyPairs() {
    }

    public static WireGuardKey generatePrivate(SecureRandom random) {
        byte[] key = new byte[X25519.SCALAR_SIZE];
        X25519.generatePrivateKey(random, key);
        return WireGuardKey.of(key);
    }

    public static WireGuardKey publicOf(WireGuardKey privateKey) {
        byte[] pub = new byte[X25519.POINT_SIZE];
        X25519.generatePublicKey(privateKey.bytes(), 0, pub, 0);
        return WireGuardKey.of(pub);
    }
}
