package dev.discoveryd.service.h2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A raw HTTP/2 client for attacking the server: frames go out exactly as given (no flow control, no validation, any
 * order), headers as HPACK literals; what comes back is recorded per stream (header blocks decoded, data, resets) and
 * per connection (GOAWAY, close). SETTINGS and PING are acknowledged; WINDOW_UPDATEs are sent only when asked for
 * with {@code autoWindow}. With an initial window of 0 and no window updates, the server can send headers but no data:
 * a client that never reads. Blocking socket plus one reader thread; for tests and the attack soak.
 */
public final class RawH2 implements AutoCloseable {
    public static final int DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, PING = 6, GOAWAY = 7, WINDOW_UPDATE = 8,
            CONTINUATION = 9;
    public static final int END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4, PADDED = 0x8, PRIORITY = 0x20;
    public static final int SETTINGS_INITIAL_WINDOW_SIZE = 4, SETTINGS_MAX_FRAME_SIZE = 5;
    public static final long CANCEL = 0x8;
    public static final String SERVICE = "/sidero.discovery.server.Cluster/";
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final OutputStream out;
    private final boolean autoWindow;
    private final Map<Integer, Stream> streams = new ConcurrentHashMap<>();
    private final DefaultHttp2HeadersDecoder hpack = new DefaultHttp2HeadersDecoder(false, 1L << 26);
    private final Thread reader;
    /** The error code of a GOAWAY from the server. */
    public final CompletableFuture<Long> goAway = new CompletableFuture<>();
    /** Completes when the server closed the connection (or it broke). */
    public final CompletableFuture<Void> closed = new CompletableFuture<>();
    private int nextStreamId = 1;

    private RawH2(Socket socket, boolean autoWindow) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.autoWindow = autoWindow;
        this.reader = new Thread(this::readLoop, "raw-h2-reader");
        reader.setDaemon(true);
    }

    /**
     * Connects from {@code local} (null: any) to {@code host:port}, sends the preface and SETTINGS (the initial stream
     * window when {@code initialWindow >= 0}).
     */
    public static RawH2 connect(InetAddress local, String host, int port, int initialWindow, boolean autoWindow)
            throws IOException {
        Socket socket = new Socket();
        if (local != null) {
            socket.bind(new InetSocketAddress(local, 0));
        }
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setTcpNoDelay(true);
        RawH2 h2 = new RawH2(socket, autoWindow);
        h2.out.write(PREFACE);
        ByteArrayOutputStream settings = new ByteArrayOutputStream();
        if (initialWindow >= 0) {
            settings.write(0);
            settings.write(SETTINGS_INITIAL_WINDOW_SIZE);
            writeInt(settings, initialWindow);
        }
        h2.frame(SETTINGS, 0, 0, settings.toByteArray());
        h2.reader.start();
        return h2;
    }

    /** A well-behaved reader on loopback. */
    public static RawH2 connect(int port) throws IOException {
        return connect(null, "127.0.0.1", port, -1, true);
    }

    // ---- writing

    public synchronized void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
        byte[] header = new byte[9];
        int n = payload.length;
        header[0] = (byte) (n >>> 16);
        header[1] = (byte) (n >>> 8);
        header[2] = (byte) n;
        header[3] = (byte) type;
        header[4] = (byte) flags;
        header[5] = (byte) ((streamId >>> 24) & 0x7f);
        header[6] = (byte) (streamId >>> 16);
        header[7] = (byte) (streamId >>> 8);
        header[8] = (byte) streamId;
        out.write(header);
        out.write(payload);
        out.flush();
    }

    /** A fresh client stream ID (odd, increasing). */
    public synchronized int newStreamId() {
        int id = nextStreamId;
        nextStreamId += 2;
        streams.put(id, new Stream(id));
        return id;
    }

    /** Opens a stream with {@code headers} (name, value pairs); split into CONTINUATION frames of 16 KiB. */
    public int open(List<String[]> headers, boolean endStream) throws IOException {
        int id = newStreamId();
        headers(id, headers, endStream);
        return id;
    }

    public synchronized void headers(int streamId, List<String[]> headers, boolean endStream) throws IOException {
        byte[] block = hpackLiterals(headers);
        int chunk = 16384;
        int first = Math.min(chunk, block.length);
        boolean single = first == block.length;
        frame(HEADERS, (endStream ? END_STREAM : 0) | (single ? END_HEADERS : 0), streamId, slice(block, 0, first));
        for (int at = first; at < block.length; at += chunk) {
            int n = Math.min(chunk, block.length - at);
            frame(CONTINUATION, at + n == block.length ? END_HEADERS : 0, streamId, slice(block, at, n));
        }
    }

    /** DATA frames of at most 16 KiB carrying {@code payload}; END_STREAM on the last when asked. */
    public synchronized void data(int streamId, byte[] payload, boolean endStream) throws IOException {
        int at = 0;
        do {
            int n = Math.min(16384, payload.length - at);
            frame(DATA, endStream && at + n == payload.length ? END_STREAM : 0, streamId, slice(payload, at, n));
            at += n;
        } while (at < payload.length);
    }

    public void rst(int streamId, long code) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeInt(b, (int) code);
        frame(RST_STREAM, 0, streamId, b.toByteArray());
    }

    public void windowUpdate(int streamId, int increment) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeInt(b, increment);
        frame(WINDOW_UPDATE, 0, streamId, b.toByteArray());
    }

    /** Request headers of a gRPC call to {@code method} of the discovery service, then {@code extra} name/value pairs. */
    public static List<String[]> grpcHeaders(String method, String... extra) {
        List<String[]> h = new ArrayList<>(List.of(new String[]{":method", "POST"}, new String[]{":scheme", "http"},
                new String[]{":path", method.startsWith("/") ? method : SERVICE + method},
                new String[]{":authority", "localhost"}, new String[]{"content-type", "application/grpc"},
                new String[]{"te", "trailers"}));
        for (int i = 0; i + 1 < extra.length; i += 2) {
            h.add(new String[]{extra[i], extra[i + 1]});
        }
        return h;
    }

    /** A gRPC message with compressed flag {@code flag} and the given length prefix over {@code body}. */
    public static byte[] grpcFrame(int flag, long declaredLength, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(flag);
        writeInt(b, (int) declaredLength);
        b.writeBytes(body);
        return b.toByteArray();
    }

    public static byte[] grpcFrame(byte[] message) {
        return grpcFrame(0, message.length, message);
    }

    /** A gRPC call with {@code body} as its whole request (END_STREAM after it), awaited to the end of its stream. */
    public Stream call(String method, byte[] body, String... extraHeaders) throws Exception {
        int id = open(grpcHeaders(method, extraHeaders), false);
        data(id, body, true);
        return stream(id).await(10);
    }

    public Stream stream(int id) {
        return streams.get(id);
    }

    // ---- reading

    private void readLoop() {
        try (DataInputStream in = new DataInputStream(socket.getInputStream())) {
            ByteArrayOutputStream block = null;
            int blockStream = 0;
            boolean blockEnds = false;
            while (true) {
                int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int streamId = in.readInt() & 0x7fffffff;
                byte[] payload = in.readNBytes(length);
                if (payload.length < length) {
                    throw new EOFException();
                }
                switch (type) {
                    case SETTINGS -> {
                        if ((flags & ACK) == 0) {
                            frame(SETTINGS, ACK, 0, new byte[0]);
                        }
                    }
                    case PING -> {
                        if ((flags & ACK) == 0) {
                            frame(PING, ACK, 0, payload);
                        }
                    }
                    case HEADERS, CONTINUATION -> {
                        if (type == HEADERS) {
                            block = new ByteArrayOutputStream();
                            blockStream = streamId;
                            blockEnds = (flags & END_STREAM) != 0;
                            payload = unpad(payload, flags, (flags & PRIORITY) != 0 ? 5 : 0);
                        }
                        block.writeBytes(payload);
                        if ((flags & END_HEADERS) != 0) {
                            Http2Headers decoded = decode(blockStream, block.toByteArray());
                            Stream s = streams.computeIfAbsent(blockStream, Stream::new);
                            s.headers.add(decoded);
                            if (blockEnds) {
                                s.end.complete(s);
                            }
                        }
                    }
                    case DATA -> {
                        Stream s = streams.computeIfAbsent(streamId, Stream::new);
                        byte[] data = unpad(payload, flags, 0);
                        synchronized (s) {
                            s.data.writeBytes(data);
                        }
                        if (autoWindow && length > 0) {
                            windowUpdate(0, length);
                            windowUpdate(streamId, length);
                        }
                        if ((flags & END_STREAM) != 0) {
                            s.end.complete(s);
                        }
                    }
                    case RST_STREAM -> {
                        Stream s = streams.computeIfAbsent(streamId, Stream::new);
                        s.rst = ((payload[0] & 0xffL) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8)
                                | (payload[3] & 0xff);
                        s.end.complete(s);
                    }
                    case GOAWAY -> goAway.complete(((payload[4] & 0xffL) << 24) | ((payload[5] & 0xff) << 16)
                            | ((payload[6] & 0xff) << 8) | (payload[7] & 0xff));
                    default -> { }
                }
            }
        } catch (IOException | Http2Exception | RuntimeException e) {
            closed.complete(null);
            for (Stream s : streams.values()) {
                s.connectionLost = true;
                s.end.complete(s);
            }
        }
    }

    private Http2Headers decode(int streamId, byte[] block) throws Http2Exception {
        ByteBuf buf = Unpooled.wrappedBuffer(block);
        try {
            return hpack.decodeHeaders(streamId, buf);
        } finally {
            buf.release();
        }
    }

    private static byte[] unpad(byte[] payload, int flags, int skip) {
        int pad = (flags & PADDED) != 0 ? payload[0] & 0xff : 0;
        int start = ((flags & PADDED) != 0 ? 1 : 0) + skip;
        return slice(payload, start, payload.length - start - pad);
    }

    /** What the server sent on one stream. */
    public static final class Stream {
        public final int id;
        public final List<Http2Headers> headers = Collections.synchronizedList(new ArrayList<>());
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();
        public final CompletableFuture<Stream> end = new CompletableFuture<>();
        public volatile Long rst;
        public volatile boolean connectionLost;

        Stream(int id) {
            this.id = id;
        }

        /** Waits for the end of the stream (END_STREAM, RST_STREAM or the connection closing). */
        public Stream await(long seconds) throws Exception {
            return end.get(seconds, TimeUnit.SECONDS);
        }

        /** grpc-status from the last header block carrying one, or null. */
        public Integer grpcStatus() {
            String s = last("grpc-status");
            return s == null ? null : Integer.valueOf(s);
        }

        public String grpcMessage() {
            String m = last("grpc-message");
            return m == null ? null : URLDecoder.decode(m.replace("+", "%2B"), StandardCharsets.UTF_8);
        }

        public String httpStatus() {
            synchronized (headers) {
                return headers.isEmpty() || headers.get(0).status() == null ? null : headers.get(0).status().toString();
            }
        }

        public String last(String name) {
            synchronized (headers) {
                for (int i = headers.size() - 1; i >= 0; i--) {
                    CharSequence v = headers.get(i).get(name);
                    if (v != null) {
                        return v.toString();
                    }
                }
            }
            return null;
        }

        public synchronized int dataBytes() {
            return data.size();
        }

        /** The gRPC messages in the data received so far (complete ones only). */
        public synchronized List<byte[]> messages() {
            byte[] all = data.toByteArray();
            List<byte[]> out = new ArrayList<>();
            int at = 0;
            while (at + 5 <= all.length) {
                int n = ((all[at + 1] & 0xff) << 24) | ((all[at + 2] & 0xff) << 16) | ((all[at + 3] & 0xff) << 8) | (all[at + 4] & 0xff);
                if (at + 5 + n > all.length) {
                    break;
                }
                out.add(slice(all, at + 5, n));
                at += 5 + n;
            }
            return out;
        }

        @Override
        public String toString() {
            return "stream " + id + ": http " + httpStatus() + ", grpc-status " + grpcStatus() + " (" + grpcMessage() + "), "
                    + dataBytes() + " data bytes, rst " + rst + (connectionLost ? ", connection lost" : "");
        }
    }

    // ---- encoding

    /** HPACK "literal header field without indexing, new name" for every header: no table, no Huffman. */
    static byte[] hpackLiterals(List<String[]> headers) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String[] h : headers) {
            b.write(0);
            byte[] name = h[0].getBytes(StandardCharsets.UTF_8);
            byte[] value = h[1].getBytes(StandardCharsets.UTF_8);
            hpackInt(b, 0, 7, name.length);
            b.writeBytes(name);
            hpackInt(b, 0, 7, value.length);
            b.writeBytes(value);
        }
        return b.toByteArray();
    }

    private static void hpackInt(ByteArrayOutputStream b, int flags, int prefixBits, long value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            b.write(flags | (int) value);
            return;
        }
        b.write(flags | max);
        long rest = value - max;
        while (rest >= 128) {
            b.write((int) (rest & 0x7f) | 0x80);
            rest >>>= 7;
        }
        b.write((int) rest);
    }

    private static void writeInt(ByteArrayOutputStream b, int v) {
        b.write(v >>> 24);
        b.write(v >>> 16);
        b.write(v >>> 8);
        b.write(v);
    }

    private static byte[] slice(byte[] a, int from, int n) {
        byte[] r = new byte[n];
        System.arraycopy(a, from, r, 0, n);
        return r;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
