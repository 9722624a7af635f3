package dev.discoveryd.agent.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** The CLI end of the control socket: one request, then JSON lines until the agent or the user ends it. */
public final class ControlClient implements AutoCloseable {
    private static final JsonNode END = Wire.JSON.nullNode();

    private final SocketChannel channel;
    private final BlockingQueue<JsonNode> lines = new ArrayBlockingQueue<>(4096);

    private ControlClient(SocketChannel channel) {
        this.channel = channel;
        Thread reader = new Thread(this::readLoop, "control-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects and sends {@code request}; a missing or dead agent is a one-line {@link IOException}. */
    public static ControlClient open(Path stateDir, JsonNode request) throws IOException {
        Path socket = Wire.socket(stateDir);
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            channel.close();
            throw new IOException("kubespan-agent is not running (cannot connect to " + socket + ": " + e.getMessage() + ")");
        }
        OutputStream out = Channels.newOutputStream(channel);
        out.write(Wire.JSON.writeValueAsBytes(request));
        out.write('\n');
        out.flush();
        return new ControlClient(channel);
    }

    /** The next message, waiting at most {@code timeout} (null: forever); empty when the agent closed the stream. */
    public Optional<JsonNode> next(Duration timeout) throws IOException, InterruptedException {
        JsonNode node = timeout == null ? lines.take() : lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (node == null) {
            throw new IOException("kubespan-agent did not answer within " + timeout.toMillis() + " ms");
        }
        if (node == END) {
            lines.offer(END);
            return Optional.empty();
        }
        if (node.has("error")) {
            throw new IOException(node.get("error").asText());
        }
        return Optional.of(node);
    }

    private void readLoop() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    lines.put(Wire.JSON.readTree(line));
                }
            }
        } catch (IOException | InterruptedException e) {
            // the connection ended; END below says so
        }
        lines.offer(END);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
