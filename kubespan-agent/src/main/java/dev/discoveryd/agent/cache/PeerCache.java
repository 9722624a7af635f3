package dev.discoveryd.agent.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.discoveryd.agent.core.AffiliateSpec;
import dev.discoveryd.agent.core.WireAffiliate;
import dev.discoveryd.agent.identity.SecureFiles;
import dev.discoveryd.nodeclient.format.AffiliateCipher;
import dev.discoveryd.nodeclient.format.AffiliateCodec;
import dev.discoveryd.nodeclient.format.BlobFormatException;
import dev.discoveryd.nodeclient.format.ClusterSecret;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The last known raw affiliates, so that an agent restarted while every discovery service is down still
 * builds its mesh. Sealed with the cluster secret (AES-256-GCM, fresh nonce per write), 0600, replaced
 * atomically. An unreadable cache is moved aside (never deleted) and the agent starts without it.
 */
public final class PeerCache {
    public static final String FILE = "peer-cache.bin";
    private static final byte[] MAGIC = "KSAC1".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final AffiliateCipher cipher;

    public PeerCache(Path stateDir, ClusterSecret secret) {
        this.file = stateDir.resolve(FILE);
        this.cipher = new AffiliateCipher(secret, new SecureRandom());
    }

    /** The entries still valid at {@code now}; empty when there is no cache. */
    public List<CacheEntry> load(Instant now) throws CacheException {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            byte[] raw = Files.readAllBytes(file);
            if (raw.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(raw, MAGIC.length), MAGIC)) {
                throw new BlobFormatException("not a peer cache file");
            }
            JsonNode root = JSON.readTree(cipher.decrypt(Arrays.copyOfRange(raw, MAGIC.length, raw.length)));
            List<CacheEntry> out = new ArrayList<>();
            for (JsonNode e : root.path("entries")) {
                Instant expires = Instant.parse(e.get("expiresAt").asText());
                if (!expires.isAfter(now)) {
                    continue;
                }
                List<NodeEndpoint> endpoints = new ArrayList<>();
                e.path("endpoints").forEach(ep -> endpoints.add(NodeEndpoint.parse(ep.asText())));
                AffiliateSpec spec = AffiliateSpec.fromWire(
                        AffiliateCodec.decode(Base64.getDecoder().decode(e.get("data").asText())), endpoints);
                out.add(new CacheEntry(e.get("rawId").asText(), expires, spec));
            }
            return out;
        } catch (IOException | BlobFormatException | RuntimeException e) {
            Path aside = file.resolveSibling(FILE + ".unreadable");
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                throw new CacheException(file + " is unreadable (" + e.getMessage() + ") and could not be moved aside: "
                        + moveFailed.getMessage());
            }
            throw new CacheException(file + " is unreadable (" + e.getMessage() + "); moved to " + aside
                    + ", starting without cached peers");
        }
    }

    public void save(List<CacheEntry> entries, Instant now) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", 1);
        root.put("savedAt", now.toString());
        ArrayNode list = root.putArray("entries");
        for (CacheEntry entry : entries) {
            ObjectNode e = list.addObject();
            e.put("rawId", entry.rawId());
            e.put("expiresAt", entry.expiresAt().toString());
            e.put("data", Base64.getEncoder().encodeToString(AffiliateCodec.encode(WireAffiliate.toInfo(entry.spec()))));
            ArrayNode eps = e.putArray("endpoints");
            entry.spec().kubespan().endpoints().forEach(ep -> eps.add(ep.toString()));
        }
        byte[] sealed = cipher.encrypt(JSON.writeValueAsBytes(root));
        byte[] out = Arrays.copyOf(MAGIC, MAGIC.length + sealed.length);
        System.arraycopy(sealed, 0, out, MAGIC.length, sealed.length);
        SecureFiles.replace(file, out);
    }
}
