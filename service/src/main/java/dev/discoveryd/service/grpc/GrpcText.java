package dev.discoveryd.service.grpc;

import io.vertx.grpc.common.GrpcStatus;

import java.nio.charset.StandardCharsets;

/** The textual bits of the gRPC-over-HTTP/2 protocol: grpc-timeout values and percent-encoded grpc-message. */
final class GrpcText {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private GrpcText() {
    }

    /** grpc-timeout ("1-8 digits" then H, M, S, m, u or n) in milliseconds, rounded up; 0 when absent. */
    static long timeoutMillis(String value) {
        if (value == null) {
            return 0;
        }
        int n = value.length();
        if (n < 2 || n > 9) {
            throw malformed(value);
        }
        long amount = 0;
        for (int i = 0; i < n - 1; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw malformed(value);
            }
            amount = amount * 10 + (c - '0');
        }
        long nanosPerUnit = switch (value.charAt(n - 1)) {
            case 'H' -> 3_600_000_000_000L;
            case 'M' -> 60_000_000_000L;
            case 'S' -> 1_000_000_000L;
            case 'm' -> 1_000_000L;
            case 'u' -> 1_000L;
            case 'n' -> 1L;
            default -> throw malformed(value);
        };
        long millisPerUnit = nanosPerUnit / 1_000_000L;
        if (millisPerUnit > 0) {
            return Math.max(1, amount * millisPerUnit); // at most 99999999 H: fits a long
        }
        return Math.max(1, (amount * nanosPerUnit + 999_999) / 1_000_000);
    }

    private static StatusException malformed(String value) {
        return new StatusException(GrpcStatus.INTERNAL, "malformed grpc-timeout: " + value);
    }

    /** grpc-message: UTF-8, with every byte outside printable ASCII, and '%', percent-encoded. */
    static String encodeMessage(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 0x20 && c <= 0x7e && c != '%') {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }
}
