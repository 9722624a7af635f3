package dev.discoveryd.agent.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.discoveryd.agent.port.WireGuardKey;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.KubeSpanAddressing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * {@code kubespan-identity.yaml} (address, subnet, privateKey, publicKey; 0600). The key pair is created
 * once and kept; subnet and address are recomputed from the cluster ID and MAC on every start (Talos's
 * UpdateAddress), so the stored address is never trusted.
 */
public final class KubeSpanIdentityStore {
    public static final String FILE = "kubespan-identity.yaml";

    private KubeSpanIdentityStore() {
    }

    public static KubeSpanIdentity loadOrCreate(Path stateDir, String clusterId, byte[] mac)
            throws IOException, IdentityException {
        IpPrefix subnet = KubeSpanAddressing.subnet(clusterId);
        IpPrefix address = KubeSpanAddressing.nodeAddress(subnet, mac);
        Path file = stateDir.resolve(FILE);
        if (Files.exists(file)) {
            WireGuardKey privateKey = loadPrivateKey(file);
            return new KubeSpanIdentity(address, subnet, privateKey, KeyPairs.publicOf(privateKey));
        }
        WireGuardKey privateKey = KeyPairs.generatePrivate(new SecureRandom());
        KubeSpanIdentity identity = new KubeSpanIdentity(address, subnet, privateKey, KeyPairs.publicOf(privateKey));
        String yaml = "address: " + address + "\nsubnet: " + subnet + "\nprivateKey: " + privateKey.base64()
                + "\npublicKey: " + identity.publicKey().base64() + "\n";
        SecureFiles.createNew(file, yaml.getBytes(StandardCharsets.UTF_8));
        return identity;
    }

    private static WireGuardKey loadPrivateKey(Path file) throws IOException, IdentityException {
        JsonNode doc;
        try {
            doc = new YAMLMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IdentityException(file + ": not valid YAML; fix or remove it (removing it makes a new WireGuard key)");
        }
        JsonNode text = doc == null ? null : doc.get("privateKey");
        if (text == null || !text.isTextual()) {
            throw new IdentityException(file + ": no privateKey; fix or remove it (removing it makes a new WireGuard key)");
        }
        WireGuardKey privateKey;
        try {
            privateKey = new WireGuardKey(text.asText());
        } catch (IllegalArgumentException e) {
            throw new IdentityException(file + ": privateKey: " + e.getMessage());
        }
        JsonNode pub = doc.get("publicKey");
        if (pub != null && pub.isTextual() && !pub.asText().equals(KeyPairs.publicOf(privateKey).base64())) {
            throw new IdentityException(file + ": publicKey does not belong to privateKey");
        }
        return privateKey;
    }
}
