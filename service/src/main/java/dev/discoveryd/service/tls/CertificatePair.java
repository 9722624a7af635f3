package dev.discoveryd.service.tls;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Set;

/**
 * A PEM certificate chain and its private key (RSA or EC; PKCS#1, SEC1 or PKCS#8), read from memory and checked
 * to belong together before anyone serves them. Turns into the TLS options every listener uses: TLS 1.2 and 1.3
 * only, ALPN so that gRPC clients get h2.
 */
public final class CertificatePair {
    static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    private final byte[] certPem;
    private final byte[] keyFile;
    private final byte[] keyPem;
    private final X509Certificate leaf;

    private CertificatePair(byte[] certPem, byte[] keyFile, byte[] keyPem, X509Certificate leaf) {
        this.certPem = certPem;
        this.keyFile = keyFile;
        this.keyPem = keyPem;
        this.leaf = leaf;
    }

    /** Parses and checks the pair; throws IllegalArgumentException saying what is wrong. */
    public static CertificatePair parse(Vertx vertx, byte[] certPem, byte[] keyFile) {
        byte[] keyPem = Sec1Keys.toPkcs8IfSec1(keyFile);
        PemKeyCertOptions pem = pem(certPem, keyPem);
        X509KeyManager manager;
        try {
            KeyManagerFactory factory = pem.getKeyManagerFactory(vertx);
            manager = firstX509(factory.getKeyManagers());
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot read the certificate or key: " + e.getMessage(), e);
        }
        String alias = aliasOf(manager);
        X509Certificate[] chain = manager.getCertificateChain(alias);
        PrivateKey key = manager.getPrivateKey(alias);
        if (chain == null || chain.length == 0 || key == null) {
            throw new IllegalArgumentException("no certificate with a private key found");
        }
        requireMatch(chain[0], key);
        return new CertificatePair(certPem.clone(), keyFile.clone(), keyPem, chain[0]);
    }

    public ServerSSLOptions sslOptions() {
        return new ServerSSLOptions()
                .setKeyCertOptions(pem(certPem, keyPem))
                .setUseAlpn(true)
                .setEnabledSecureTransportProtocols(PROTOCOLS);
    }

    public X509Certificate leaf() {
        return leaf;
    }

    /** Same file contents as another pair. */
    public boolean sameAs(byte[] otherCert, byte[] otherKey) {
        return Arrays.equals(certPem, otherCert) && Arrays.equals(keyFile, otherKey);
    }

    private static PemKeyCertOptions pem(byte[] certPem, byte[] keyPem) {
        return new PemKeyCertOptions().setCertValue(Buffer.buffer(certPem)).setKeyValue(Buffer.buffer(keyPem));
    }

    private static X509KeyManager firstX509(KeyManager[] managers) {
        for (KeyManager m : managers) {
            if (m instanceof X509KeyManager x) {
                return x;
            }
        }
        throw new IllegalArgumentException("no X.509 key manager");
    }

    private static String aliasOf(X509KeyManager manager) {
        for (String type : new String[]{"RSA", "EC", "EdDSA", "Ed25519", "RSASSA-PSS"}) {
            String[] aliases = manager.getServerAliases(type, null);
            if (aliases != null && aliases.length > 0) {
                return aliases[0];
            }
        }
        throw new IllegalArgumentException("the key is neither RSA nor EC");
    }

    /** A signature made with the key must verify with the certificate: catches a key from another pair. */
    private static void requireMatch(X509Certificate cert, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new IllegalArgumentException("the private key does not belong to the certificate");
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("the private key does not belong to the certificate: " + e.getMessage(), e);
        }
    }
}
