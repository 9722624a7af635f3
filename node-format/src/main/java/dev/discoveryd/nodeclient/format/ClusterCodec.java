package dev.discoveryd.nodeclient.format;

import java.security.SecureRandom;

/** Everything a node encrypts with the cluster secret: affiliate blobs and endpoint records. */
public final class ClusterCodec {
    private final AffiliateCipher affiliateCipher;
    private final EndpointCipher endpointCipher;

    public ClusterCodec(ClusterSecret secret, SecureRandom random) {
        this.affiliateCipher = new AffiliateCipher(secret, random);
        this.endpointCipher = new EndpointCipher(secret);
    }

    public ClusterCodec(ClusterSecret secret) {
        this(secret, new SecureRandom());
    }

    public byte[] sealAffiliate(AffiliateInfo info) {
        return affiliateCipher.encrypt(AffiliateCodec.encode(info));
    }

    public AffiliateInfo openAffiliate(byte[] blob) throws BlobFormatException {
        return AffiliateCodec.decode(affiliateCipher.decrypt(blob));
    }

    public byte[] sealEndpoint(NodeEndpoint endpoint) {
        return endpointCipher.encrypt(AffiliateCodec.encodeEndpoint(endpoint));
    }

    public NodeEndpoint openEndpoint(byte[] record) throws BlobFormatException {
        return AffiliateCodec.decodeEndpoint(endpointCipher.decrypt(record));
    }

    /** As {@link #openEndpoint}, refusing records whose padding is not zero (see {@link EndpointCipher#decryptChecked}). */
    public NodeEndpoint openEndpointChecked(byte[] record) throws BlobFormatException {
        return AffiliateCodec.decodeEndpoint(endpointCipher.decryptChecked(record));
    }
}
