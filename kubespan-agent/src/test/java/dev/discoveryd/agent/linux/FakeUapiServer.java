package dev.discoveryd.agent.linux;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A UNIX socket that answers UAPI requests from a script and records them, for protocol tests without a device. */
final class FakeUapiServer implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Thread thread;
    final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile Function<String, String> answer;

    FakeUapiServer(Path socket, Function<String, String> answer) throws IOException {
        Files.deleteIfExists(socket);
        this.answer = answer;
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        thread = new Thread(this::serve, "fake-uapi");
        thread.setDaemon(true);
        thread.start();
    }

    void answer(Function<String, String> a) {
        answer = a;
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                StringBuilder req = new StringBuilder();
                ByteBuffer buf = ByteBuffer.allocate(4096);
                while (req.indexOf("\n\n") < 0) {
                    buf.clear();
                    int n = c.read(buf);
                    if (n < 0) {
                        break;
                    }
                    req.append(new String(buf.array(), 0, n, StandardCharsets.US_ASCII));
                }
                requests.add(req.toString());
                String a = answer.apply(req.toString());
                ByteBuffer out = ByteBuffer.wrap(a.getBytes(StandardCharsets.US_ASCII));
                // dribbled in small pieces so the client must reassemble lines
                while (out.hasRemaining()) {
                    ByteBuffer piece = out.slice(out.position(), Math.min(7, out.remaining()));
                    out.position(out.position() + piece.remaining());
                    while (piece.hasRemaining()) {
                        c.write(piece);
                    }
                }
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            thread.join(5000); // the listening socket is only released once the accept call has returned
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
