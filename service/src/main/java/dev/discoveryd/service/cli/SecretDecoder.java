package dev.discoveryd.service.cli;

import dev.discoveryd.eventlog.tools.BlobDecoder;
import dev.discoveryd.eventlog.tools.DecodedAffiliate;
import dev.discoveryd.nodeclient.format.AffiliateInfo;
import dev.discoveryd.nodeclient.format.BlobFormatException;
import dev.discoveryd.nodeclient.format.ClusterCodec;
import dev.discoveryd.nodeclient.format.ClusterSecret;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.KubeSpanInfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Decodes a cluster's blobs with its secret for the log tools (node-format does the formats). The secret is read
 * from a file only (never a flag value: flags show in {@code ps} and shell history), and is never printed, logged or
 * written: error messages name the file, not its content.
 */
final class SecretDecoder implements BlobDecoder {
    private final ClusterCodec codec;

    private SecretDecoder(ClusterSecret secret) {
        this.codec = new ClusterCodec(secret);
    }

    /** The decoder for the secret in {@code file}: base64 of 32 bytes, as in the machine config's cluster.secret. */
    static SecretDecoder fromFile(Path file) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no cluster secret file at " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the cluster secret file " + file + ": " + e.getMessage());
        }
        try {
            return new SecretDecoder(ClusterSecret.fromBase64(new String(raw, StandardCharsets.US_ASCII)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the cluster secret file " + file + " does not hold a cluster secret"
                    + " (base64 of 32 bytes, as in the machine config's cluster.secret)");
        } finally {
            java.util.Arrays.fill(raw, (byte) 0);
        }
    }

    @Override
    public DecodedAffiliate affiliate(byte[] data) throws Undecodable {
        AffiliateInfo info;
        try {
            info = codec.openAffiliate(data);
        } catch (BlobFormatException e) {
            throw new Undecodable(e.getMessage());
        }
        KubeSpanInfo ks = info.kubespan();
        return new DecodedAffiliate(info.nodeId(), info.hostname(), info.nodename(), info.machineType(),
                info.operatingSystem(), info.addresses().stream().map(IpText::format).toList(),
                ks == null ? null : ks.publicKey(),
                ks == null || ks.address() == null ? null : IpText.format(ks.address()),
                ks == null ? java.util.List.of() : ks.additionalAddresses().stream().map(IpPrefix::toString).toList());
    }

    @Override
    public String endpoint(byte[] record) throws Undecodable {
        try {
            return codec.openEndpointChecked(record).toString();
        } catch (BlobFormatException e) {
            throw new Undecodable(e.getMessage());
        }
    }
}
