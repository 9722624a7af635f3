package dev.discoveryd.nodeclient.format;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.discoveryd.api.node.Affiliate;
import dev.discoveryd.api.node.ControlPlane;
import dev.discoveryd.api.node.Endpoint;
import dev.discoveryd.api.node.IPPrefix;
import dev.discoveryd.api.node.KubeSpan;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Plaintext protobuf forms of {@link AffiliateInfo} and {@link NodeEndpoint}, as Talos serializes them. */
public final class AffiliateCodec {
    private AffiliateCodec() {
    }

    public static byte[] encode(AffiliateInfo info) {
        Affiliate.Builder b = Affiliate.newBuilder()
                .setNodeId(info.nodeId())
                .setHostname(info.hostname())
                .setNodename(info.nodename())
                .setMachineType(info.machineType())
                .setOperatingSystem(info.operatingSystem());
        info.addresses().forEach(a -> b.addAddresses(ByteString.copyFrom(a.getAddress())));
        if (info.kubespan() != null) {
            KubeSpanInfo ks = info.kubespan();
            KubeSpan.Builder kb = KubeSpan.newBuilder().setPublicKey(ks.publicKey());
            if (ks.address() != null) {
                kb.setAddress(ByteString.copyFrom(ks.address().getAddress()));
            }
            ks.additionalAddresses().forEach(p -> kb.addAdditionalAddresses(
                    IPPrefix.newBuilder().setIp(ByteString.copyFrom(p.ip().getAddress())).setBits(p.bits())));
            b.setKubespan(kb);
        }
        if (info.apiServerPort() != null) {
            b.setControlPlane(ControlPlane.newBuilder().setApiServerPort(info.apiServerPort()));
        }
        return b.build().toByteArray();
    }

    public static AffiliateInfo decode(byte[] plaintext) throws BlobFormatException {
        Affiliate a;
        try {
            a = Affiliate.parseFrom(plaintext);
        } catch (InvalidProtocolBufferException e) {
            throw new BlobFormatException("affiliate data is not a valid Affiliate message");
        }
        List<InetAddress> addresses = new ArrayList<>(a.getAddressesCount());
        for (ByteString raw : a.getAddressesList()) {
            addresses.add(IpText.fromBytes(raw.toByteArray()));
        }
        KubeSpanInfo kubespan = null;
        if (a.hasKubespan()) {
            KubeSpan ks = a.getKubespan();
            List<IpPrefix> extra = new ArrayList<>(ks.getAdditionalAddressesCount());
            for (IPPrefix p : ks.getAdditionalAddressesList()) {
                extra.add(prefix(p));
            }
            InetAddress address = ks.getAddress().isEmpty() ? null : IpText.fromBytes(ks.getAddress().toByteArray());
            kubespan = new KubeSpanInfo(ks.getPublicKey(), address, extra);
        }
        Integer apiServerPort = a.hasControlPlane() ? a.getControlPlane().getApiServerPort() : null;
        return new AffiliateInfo(a.getNodeId(), a.getHostname(), a.getNodename(), a.getMachineType(),
                a.getOperatingSystem(), addresses, kubespan, apiServerPort);
    }

    public static byte[] encodeEndpoint(NodeEndpoint endpoint) {
        return Endpoint.newBuilder()
                .setIp(ByteString.copyFrom(endpoint.ip().getAddress()))
                .setPort(endpoint.port())
                .build().toByteArray();
    }

    public static NodeEndpoint decodeEndpoint(byte[] proto) throws BlobFormatException {
        Endpoint e;
        try {
            e = Endpoint.parseFrom(proto);
        } catch (InvalidProtocolBufferException ex) {
            throw new BlobFormatException("endpoint record is not a valid Endpoint message");
        }
        if (e.getPort() > 65535) {
            throw new BlobFormatException("endpoint port out of range: " + Integer.toUnsignedString(e.getPort()));
        }
        return new NodeEndpoint(IpText.fromBytes(e.getIp().toByteArray()), e.getPort());
    }

    private static IpPrefix prefix(IPPrefix p) throws BlobFormatException {
        InetAddress ip = IpText.fromBytes(p.getIp().toByteArray());
        int bits = p.getBits();
        if (bits < 0 || bits > ip.getAddress().length * 8) {
            throw new BlobFormatException("prefix length out of range: " + Integer.toUnsignedString(bits));
        }
        return new IpPrefix(ip, bits);
    }
}
