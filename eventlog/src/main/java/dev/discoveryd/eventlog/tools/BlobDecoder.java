package dev.discoveryd.eventlog.tools;

/**
 * Decrypts and decodes one cluster's affiliate data and endpoint records for the audit tools. The log tools know the
 * log, not the node formats: the service supplies an implementation built from the cluster secret (node-format).
 */
public interface BlobDecoder {
    /** The affiliate data as fields; throws {@link Undecodable} (with a reason, never key material) when it cannot. */
    DecodedAffiliate affiliate(byte[] data) throws Undecodable;

    /** One endpoint record as {@code ip:port} / {@code [ipv6]:port}. */
    String endpoint(byte[] record) throws Undecodable;

    /** A blob that does not decrypt or decode with this decoder (wrong secret, another cluster's blob, garbage). */
    final class Undecodable extends Exception {
        public Undecodable(String reason) {
            super(reason, null, false, false);
        }
    }
}
