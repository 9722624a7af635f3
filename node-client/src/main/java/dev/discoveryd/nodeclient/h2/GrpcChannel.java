package dev.discoveryd.nodeclient.h2;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.discoveryd.nodeclient.state.ServerAddress;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Unary gRPC calls (the HTTP/2 protocol of grpc/grpc PROTOCOL-HTTP2.md) over one {@link H2Connection}, one at a
 * time, on the calling thread: what a one-shot CLI needs without starting an event loop. The daemon-style client
 * keeps Vert.x.
 */
public final class GrpcChannel implements Closeable {
    /** The largest response message accepted: a List of a full cluster is far below it. */
    private static final int MAX_MESSAGE = 32 * 1024 * 1024;

    private final ServerAddress server;
    private final H2Connection connection;
    private final String userAgent;

    private GrpcChannel(ServerAddress server, H2Connection connection, String userAgent) {
        this.server = server;
        this.connection = connection;
        this.userAgent = userAgent;
    }

    /** See {@link Dialer#open} for the two timeouts. */
    public static GrpcChannel connect(ServerAddress server, Dialer.Trust trust, Duration connectTimeout,
                                      Duration handshakeTimeout, String userAgent) throws IOException {
        return new GrpcChannel(server, new H2Connection(Dialer.open(server, trust, connectTimeout, handshakeTimeout)), userAgent);
    }

    public ServerAddress server() {
        return server;
    }

    /**
     * Calls {@code /service/method}; the deadline goes to the server as {@code grpc-timeout} and bounds our wait.
     *
     * @throws GrpcStatusException   the server answered with a status other than OK
     * @throws SocketTimeoutException no answer within the timeout
     */
    public <T> T call(String path, MessageLite request, Parser<T> parser, Duration timeout) throws IOException {
        long millis = Math.max(1, Math.min(99_999_999, timeout.toMillis()));
        long deadline = System.nanoTime() + millis * 1_000_000;
        List<Header> headers = List.of(
                new Header(":method", "POST"),
                new Header(":scheme", server.tls() ? "https" : "http"),
                new Header(":path", path),
                new Header(":authority", authority()),
                new Header("content-type", "application/grpc"),
                new Header("te", "trailers"),
                new Header("grpc-timeout", millis + "m"),
                new Header("user-agent", userAgent));
        H2Connection.Response response = connection.exchange(headers, frame(request), MAX_MESSAGE + 5, deadline);
        String status = value(response.headers(), ":status");
        if (!"200".equals(status)) {
            throw new GrpcStatusException(fromHttp(status), "HTTP status " + status + " from " + server);
        }
        // A trailers-only response carries the status in its only header block.
        List<Header> trailers = response.trailers().isEmpty() ? response.headers() : response.trailers();
        String code = value(trailers, "grpc-status");
        if (code == null) {
            throw new GrpcStatusException(13, "the response has no grpc-status");
        }
        int parsed;
        try {
            parsed = Integer.parseInt(code);
        } catch (NumberFormatException e) {
            throw new GrpcStatusException(13, "unreadable grpc-status " + code);
        }
        if (parsed != 0) {
            String message = value(trailers, "grpc-message");
            throw new GrpcStatusException(parsed, message == null ? null : percentDecode(message));
        }
        return parse(response.body(), parser);
    }

    @Override
    public void close() {
        connection.close();
    }

    private String authority() {
        String host = server.host().contains(":") ? "[" + server.host() + "]" : server.host();
        return host + ":" + server.port();
    }

    /** The length-prefixed message: one byte "compressed" (we accept none), four of length, the bytes. */
    private static byte[] frame(MessageLite message) {
        byte[] bytes = message.toByteArray();
        byte[] framed = new byte[5 + bytes.length];
        framed[1] = (byte) (bytes.length >>> 24);
        framed[2] = (byte) (bytes.length >>> 16);
        framed[3] = (byte) (bytes.length >>> 8);
        framed[4] = (byte) bytes.length;
        System.arraycopy(bytes, 0, framed, 5, bytes.length);
        return framed;
    }

    private static <T> T parse(byte[] body, Parser<T> parser) throws IOException {
        if (body.length < 5) {
            throw new GrpcStatusException(13, "the response has no message");
        }
        if (body[0] != 0) {
            throw new GrpcStatusException(13, "the server sent a compressed message we did not ask for");
        }
        long length = ((body[1] & 0xffL) << 24) | ((body[2] & 0xff) << 16) | ((body[3] & 0xff) << 8) | (body[4] & 0xff);
        if (length != body.length - 5) {
            throw new GrpcStatusException(13, "a unary response of " + (body.length - 5) + " bytes framed as " + length);
        }
        try {
            return parser.parseFrom(body, 5, (int) length);
        } catch (InvalidProtocolBufferException e) {
            throw new GrpcStatusException(13, "unreadable response: " + e.getMessage());
        }
    }

    private static String value(List<Header> headers, String name) {
        for (Header header : headers) {
            if (header.name().equals(name)) {
                return header.value();
            }
        }
        return null;
    }

    /** HTTP statuses without a gRPC status, mapped as gRPC clients do (PROTOCOL-HTTP2.md, http-grpc-status-mapping). */
    private static int fromHttp(String status) {
        return switch (status == null ? "" : status) {
            case "400" -> 13;
            case "401" -> 16;
            case "403" -> 7;
            case "404" -> 12;
            case "429", "502", "503", "504" -> 14;
            default -> 2;
        };
    }

    /** grpc-message is percent-encoded UTF-8. */
    static String percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int high = c == '%' && i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
            if (low >= 0) {
                out.write(high << 4 | low);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
