package dev.discoveryd.nodeclient.h2;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;

/**
 * The client side of one HTTP/2 connection (RFC 9113) on a connected socket, for one exchange at a time: a request's
 * headers and body out, the response's headers, body and trailers back. Only what unary gRPC calls need: no server
 * push (disabled in our SETTINGS), no priorities, no concurrent streams. Flow control is honoured both ways.
 */
public final class H2Connection implements Closeable {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(US_ASCII);
    private static final int DATA = 0;
    private static final int HEADERS = 1;
    private static final int RST_STREAM = 3;
    private static final int SETTINGS = 4;
    private static final int PUSH_PROMISE = 5;
    private static final int PING = 6;
    private static final int GOAWAY = 7;
    private static final int WINDOW_UPDATE = 8;
    private static final int CONTINUATION = 9;
    private static final int END_STREAM = 0x1;
    private static final int ACK = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PRIORITY = 0x20;
    private static final int DEFAULT_WINDOW = 65_535;
    private static final int DEFAULT_FRAME = 16_384;
    /** What we let the server send before we acknowledge it, per stream and for the connection. */
    private static final int RECEIVE_WINDOW = 1 << 24;
    private static final int HEADER_TABLE_SIZE = 4096;
    private static final int MAX_HEADER_LIST = 64 * 1024;

    /** One finished exchange. */
    public record Response(List<Header> headers, byte[] body, List<Header> trailers) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final HpackDecoder decoder = new HpackDecoder(HEADER_TABLE_SIZE, MAX_HEADER_LIST);
    private int nextStream = 1;
    private int peerMaxFrame = DEFAULT_FRAME;
    private int peerInitialWindow = DEFAULT_WINDOW;
    private long connectionSendWindow = DEFAULT_WINDOW;
    private long streamSendWindow;
    private long connectionUnacknowledged;
    private int lastStreamAllowed = Integer.MAX_VALUE;

    /** Writes the preface and our settings (sent together with the first request). */
    public H2Connection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 32 * 1024));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        out.write(PREFACE);
        byte[] settings = new byte[18];
        setting(settings, 0, 2, 0); // ENABLE_PUSH off
        setting(settings, 6, 4, RECEIVE_WINDOW); // INITIAL_WINDOW_SIZE
        setting(settings, 12, 6, MAX_HEADER_LIST); // MAX_HEADER_LIST_SIZE
        frame(SETTINGS, 0, 0, settings, 0, settings.length);
        windowUpdate(0, RECEIVE_WINDOW - DEFAULT_WINDOW);
    }

    /**
     * Sends one request and reads its whole response.
     *
     * @param maxBody       the most response body bytes accepted
     * @param deadlineNanos {@link System#nanoTime()} by which the response must have ended
     */
    public Response exchange(List<Header> headers, byte[] body, int maxBody, long deadlineNanos) throws IOException {
        int stream = nextStream;
        nextStream += 2;
        if (stream > lastStreamAllowed) {
            throw new IOException("the server is closing the connection (GOAWAY)");
        }
        streamSendWindow = peerInitialWindow;
        writeHeaderBlock(stream, HpackEncoder.encode(headers), body.length == 0);
        Exchange exchange = new Exchange(stream, maxBody);
        int sent = 0;
        while (!exchange.ended) {
            while (sent < body.length) {
                int chunk = (int) Math.min(Math.min(body.length - sent, peerMaxFrame),
                        Math.min(connectionSendWindow, streamSendWindow));
                if (chunk <= 0) {
                    break; // wait for WINDOW_UPDATE
                }
                frame(DATA, sent + chunk == body.length ? END_STREAM : 0, stream, body, sent, chunk);
                sent += chunk;
                connectionSendWindow -= chunk;
                streamSendWindow -= chunk;
            }
            out.flush();
            readFrame(exchange, deadlineNanos);
        }
        if (exchange.headers == null) {
            throw new IOException("the server ended the stream without response headers");
        }
        return new Response(exchange.headers, exchange.body.toByteArray(), exchange.trailers == null ? List.of() : exchange.trailers);
    }

    /** Says goodbye (GOAWAY, no error) and closes the socket. */
    @Override
    public void close() {
        try {
            byte[] goAway = new byte[8];
            int last = Math.max(0, nextStream - 2);
            goAway[0] = (byte) (last >>> 24);
            goAway[1] = (byte) (last >>> 16);
            goAway[2] = (byte) (last >>> 8);
            goAway[3] = (byte) last;
            frame(GOAWAY, 0, 0, goAway, 0, 8);
            out.flush();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    /** The state of the exchange in progress. */
    private static final class Exchange {
        final int stream;
        final int maxBody;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<Header> headers;
        List<Header> trailers;
        boolean ended;
        long unacknowledged;

        Exchange(int stream, int maxBody) {
            this.stream = stream;
            this.maxBody = maxBody;
        }
    }

    private void readFrame(Exchange exchange, long deadlineNanos) throws IOException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("no response before the deadline");
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
        int length;
        int type;
        int flags;
        int stream;
        try {
            length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
            type = in.readUnsignedByte();
            flags = in.readUnsignedByte();
            stream = in.readInt() & 0x7fffffff;
        } catch (EOFException e) {
            throw new IOException("the server closed the connection");
        }
        if (length > DEFAULT_FRAME) {
            throw new IOException("frame of " + length + " bytes above our maximum frame size");
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        switch (type) {
            case DATA -> data(exchange, flags, stream, payload);
            case HEADERS -> headers(exchange, flags, stream, payload, deadlineNanos);
            case RST_STREAM -> {
                if (stream == exchange.stream) {
                    throw new IOException("the server reset the stream (error code " + int32(payload, 0) + ")");
                }
            }
            case SETTINGS -> settings(flags, payload);
            case PING -> {
                if ((flags & ACK) == 0) {
                    frame(PING, ACK, 0, payload, 0, payload.length);
                    out.flush();
                }
            }
            case GOAWAY -> {
                lastStreamAllowed = int32(payload, 0) & 0x7fffffff;
                if (lastStreamAllowed < exchange.stream) {
                    throw new IOException("the server refused the call and is closing the connection (GOAWAY, error code "
                            + int32(payload, 4) + ")");
                }
            }
            case WINDOW_UPDATE -> {
                long increment = int32(payload, 0) & 0x7fffffff;
                if (stream == 0) {
                    connectionSendWindow += increment;
                } else if (stream == exchange.stream) {
                    streamSendWindow += increment;
                }
            }
            case PUSH_PROMISE, CONTINUATION -> throw new IOException("unexpected frame type " + type + " from the server");
            default -> {
                // PRIORITY and unknown frame types are ignored (RFC 9113 section 4.1)
            }
        }
    }

    private void data(Exchange exchange, int flags, int stream, byte[] payload) throws IOException {
        connectionUnacknowledged += payload.length;
        if (connectionUnacknowledged > RECEIVE_WINDOW / 2) {
            windowUpdate(0, (int) connectionUnacknowledged);
            connectionUnacknowledged = 0;
        }
        if (stream != exchange.stream) {
            return; // a stream we already finished with
        }
        int start = 0;
        int end = payload.length;
        if ((flags & PADDED) != 0) {
            start = 1;
            end -= payload.length == 0 ? 0 : payload[0] & 0xff;
            if (end < start) {
                throw new IOException("DATA padding longer than the frame");
            }
        }
        if (exchange.body.size() + (end - start) > exchange.maxBody) {
            throw new IOException("response larger than " + exchange.maxBody + " bytes");
        }
        exchange.body.write(payload, start, end - start);
        exchange.unacknowledged += payload.length;
        if ((flags & END_STREAM) != 0) {
            exchange.ended = true;
        } else if (exchange.unacknowledged > RECEIVE_WINDOW / 2) {
            windowUpdate(stream, (int) exchange.unacknowledged);
            exchange.unacknowledged = 0;
        }
    }

    private void headers(Exchange exchange, int flags, int stream, byte[] payload, long deadlineNanos) throws IOException {
        int start = 0;
        int end = payload.length;
        if ((flags & PADDED) != 0) {
            start = 1;
            end -= payload.length == 0 ? 0 : payload[0] & 0xff;
        }
        if ((flags & PRIORITY) != 0) {
            start += 5;
        }
        if (end < start) {
            throw new IOException("HEADERS padding or priority longer than the frame");
        }
        ByteArrayOutputStream block = new ByteArrayOutputStream(end - start);
        block.write(payload, start, end - start);
        boolean endStream = (flags & END_STREAM) != 0;
        while ((flags & END_HEADERS) == 0) {
            socket.setSoTimeout((int) Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000));
            int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            flags = in.readUnsignedByte();
            int continued = in.readInt() & 0x7fffffff;
            if (type != CONTINUATION || continued != stream || length > DEFAULT_FRAME) {
                throw new IOException("a header block was interrupted by frame type " + type);
            }
            if (block.size() + length > MAX_HEADER_LIST) {
                throw new IOException("header block larger than " + MAX_HEADER_LIST + " bytes");
            }
            byte[] more = new byte[length];
            in.readFully(more);
            block.write(more, 0, length);
        }
        List<Header> decoded = decoder.decode(block.toByteArray()); // always: it may change the dynamic table
        if (stream != exchange.stream) {
            return;
        }
        if (exchange.headers == null) {
            exchange.headers = decoded;
        } else {
            exchange.trailers = decoded;
        }
        exchange.ended |= endStream;
    }

    private void settings(int flags, byte[] payload) throws IOException {
        if ((flags & ACK) != 0) {
            return;
        }
        if (payload.length % 6 != 0) {
            throw new IOException("SETTINGS frame of " + payload.length + " bytes");
        }
        for (int at = 0; at < payload.length; at += 6) {
            int id = (payload[at] & 0xff) << 8 | payload[at + 1] & 0xff;
            int value = int32(payload, at + 2);
            if (id == 4) { // INITIAL_WINDOW_SIZE: applies to open streams as a delta (section 6.9.2)
                streamSendWindow += (long) value - peerInitialWindow;
                peerInitialWindow = value;
            } else if (id == 5) { // MAX_FRAME_SIZE
                peerMaxFrame = value;
            }
        }
        frame(SETTINGS, ACK, 0, new byte[0], 0, 0);
        out.flush();
    }

    private void writeHeaderBlock(int stream, byte[] block, boolean endStream) throws IOException {
        int first = Math.min(block.length, peerMaxFrame);
        int flags = (endStream ? END_STREAM : 0) | (first == block.length ? END_HEADERS : 0);
        frame(HEADERS, flags, stream, block, 0, first);
        for (int at = first; at < block.length; ) {
            int chunk = Math.min(block.length - at, peerMaxFrame);
            frame(CONTINUATION, at + chunk == block.length ? END_HEADERS : 0, stream, block, at, chunk);
            at += chunk;
        }
    }

    private void windowUpdate(int stream, int increment) throws IOException {
        byte[] payload = new byte[4];
        payload[0] = (byte) (increment >>> 24);
        payload[1] = (byte) (increment >>> 16);
        payload[2] = (byte) (increment >>> 8);
        payload[3] = (byte) increment;
        frame(WINDOW_UPDATE, 0, stream, payload, 0, 4);
    }

    private void frame(int type, int flags, int stream, byte[] payload, int offset, int length) throws IOException {
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        out.write(type);
        out.write(flags);
        out.write(stream >>> 24);
        out.write(stream >>> 16);
        out.write(stream >>> 8);
        out.write(stream);
        out.write(payload, offset, length);
    }

    private static void setting(byte[] into, int at, int id, int value) {
        into[at] = (byte) (id >>> 8);
        into[at + 1] = (byte) id;
        into[at + 2] = (byte) (value >>> 24);
        into[at + 3] = (byte) (value >>> 16);
        into[at + 4] = (byte) (value >>> 8);
        into[at + 5] = (byte) value;
    }

    private static int int32(byte[] b, int at) {
        if (b.length < at + 4) {
            return 0;
        }
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
    }
}
