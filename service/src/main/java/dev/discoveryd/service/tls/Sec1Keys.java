package dev.discoveryd.service.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites an OpenSSL "EC PRIVATE KEY" (SEC1, what {@code openssl ecparam -genkey} writes) as unencrypted PKCS#8,
 * which the TLS stack reads; any other key text passes through unchanged. The curve comes from the key's own
 * parameters field.
 */
final class Sec1Keys {
    private static final Pattern SEC1 = Pattern.compile(
            "-----BEGIN EC PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END EC PRIVATE KEY-----");
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private Sec1Keys() {
    }

    static byte[] toPkcs8IfSec1(byte[] keyPem) {
        Matcher m = SEC1.matcher(new String(keyPem, StandardCharsets.US_ASCII));
        if (!m.find()) {
            return keyPem;
        }
        byte[] sec1 = Base64.getMimeDecoder().decode(m.group(1));
        byte[] curve = curveOid(sec1);
        byte[] algorithm = tlv(0x30, concat(EC_PUBLIC_KEY_OID, curve));
        byte[] pkcs8 = tlv(0x30, concat(VERSION_0, algorithm, tlv(0x04, sec1)));
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8);
        return ("-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The curve OID (whole TLV) from ECPrivateKey ::= SEQUENCE { version, privateKey, [0] parameters, [1] publicKey }. */
    private static byte[] curveOid(byte[] der) {
        int[] outer = header(der, 0);
        if (der[0] != 0x30) {
            throw new IllegalArgumentException("EC PRIVATE KEY is not a DER sequence");
        }
        int at = outer[0];
        int end = outer[0] + outer[1];
        while (at < end) {
            int[] h = header(der, at);
            if ((der[at] & 0xff) == 0xa0) {
                int[] oid = header(der, h[0]);
                if (der[h[0]] != 0x06) {
                    break;
                }
                byte[] out = new byte[oid[0] - h[0] + oid[1]];
                System.arraycopy(der, h[0], out, 0, out.length);
                return out;
            }
            at = h[0] + h[1];
        }
        throw new IllegalArgumentException("EC PRIVATE KEY names no curve; convert it with `openssl pkcs8 -topk8 -nocrypt`");
    }

    /** {content offset, content length} of the TLV at {@code at}. */
    private static int[] header(byte[] der, int at) {
        if (at + 1 >= der.length) {
            throw new IllegalArgumentException("EC PRIVATE KEY is truncated");
        }
        int first = der[at + 1] & 0xff;
        if (first < 0x80) {
            return new int[]{at + 2, first};
        }
        int bytes = first & 0x7f;
        if (bytes > 3 || at + 2 + bytes > der.length) {
            throw new IllegalArgumentException("EC PRIVATE KEY has an invalid length");
        }
        int length = 0;
        for (int i = 0; i < bytes; i++) {
            length = length << 8 | (der[at + 2 + i] & 0xff);
        }
        if (at + 2 + bytes + length > der.length) {
            throw new IllegalArgumentException("EC PRIVATE KEY is truncated");
        }
        return new int[]{at + 2 + bytes, length};
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n & 0xff);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
