package dev.discoveryd.agent.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.discoveryd.agent.daemon.EventJournal;
import dev.discoveryd.agent.resource.Resource;
import dev.discoveryd.agent.resource.ResourceKind;
import dev.discoveryd.agent.resource.ResourceStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator socket ({@code <state-dir>/agent.sock}, 0600): one JSON request line per connection,
 * answered with JSON lines; watches and event follows stream until the client goes. At most
 * {@value #MAX_CONNECTIONS} connections at once; more are told the agent is busy.
 */
public final class ControlServer implements AutoCloseable {
    public static final int MAX_CONNECTIONS = 8;
    private static final int WATCH_QUEUE = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final Path path;
    private final ServerSocketChannel server;
    private final ResourceStore resources;
    private final EventJournal events;
    private final String node;
    private final ThreadPoolExecutor handlers;
    private final Thread acceptor;

    public ControlServer(Path stateDir, ResourceStore resources, EventJournal events, String node) throws IOException {
        this.path = Wire.socket(stateDir);
        this.resources = resources;
        this.events = events;
        this.node = node;
        removeStale(path);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        AtomicInteger ids = new AtomicInteger();
        this.handlers = new ThreadPoolExecutor(0, MAX_CONNECTIONS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "control-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "control-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public Path path() {
        return path;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("control socket accept failed: {}", e.getMessage());
                }
                return;
            }
            try {
                handlers.execute(() -> serve(channel));
            } catch (RejectedExecutionException e) {
                try (channel) {
                    send(Channels.newOutputStream(channel), error("the agent is busy (" + MAX_CONNECTIONS + " connections); try again"));
                } catch (IOException ignored) {
                    // the client is gone already
                }
            }
        }
    }

    private void serve(SocketChannel channel) {
        try (channel) {
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(channel);
            String line = in.readLine();
            if (line == null) {
                return;
            }
            JsonNode request;
            try {
                request = Wire.JSON.readTree(line);
            } catch (IOException e) {
                send(out, error("not a JSON request"));
                return;
            }
            switch (request.path("op").asText()) {
                case "get" -> get(request, out);
                case "events" -> events(request, out);
                default -> send(out, error("unknown op \"" + request.path("op").asText() + "\""));
            }
        } catch (IOException e) {
            LOG.debug("control connection ended: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void get(JsonNode request, OutputStream out) throws IOException, InterruptedException {
        ResourceKind kind = ResourceKind.resolve(request.path("type").asText()).orElse(null);
        if (kind == null) {
            send(out, error("unknown resource type \"" + request.path("type").asText() + "\""));
            return;
        }
        String namespace = request.path("namespace").asText("");
        String ns = namespace.isEmpty() ? kind.defaultNamespace() : namespace;
        boolean redact = kind.sensitive() && !request.path("sensitive").asBoolean(false);
        BlockingQueue<ResourceStore.Change> queue = new ArrayBlockingQueue<>(WATCH_QUEUE);
        boolean watch = request.path("watch").asBoolean(false);
        Runnable stop = watch ? resources.watch(change -> {
            if (change.resource().type().equals(kind.type()) && change.resource().namespace().equals(ns) && !queue.offer(change)) {
                queue.clear(); // too slow a reader: it is told below and the watch ends
                queue.offer(new ResourceStore.Change("overflow", change.resource()));
            }
        }) : () -> { };
        try {
            ObjectNode first = Wire.JSON.createObjectNode();
            first.put("node", node);
            first.put("type", kind.name());
            ArrayNode list = first.putArray("resources");
            for (Resource r : resources.list(kind.type(), ns)) {
                list.add(Wire.resource(r, redact));
            }
            send(out, first);
            while (watch) {
                ResourceStore.Change change = queue.poll(5, TimeUnit.SECONDS);
                if (change == null) {
                    out.write('\n'); // a keepalive: finds out when the client has gone
                    out.flush();
                    continue;
                }
                if (change.kind().equals("overflow")) {
                    send(out, error("watch too slow: " + WATCH_QUEUE + " changes behind"));
                    return;
                }
                ObjectNode event = Wire.JSON.createObjectNode();
                event.put("event", change.kind());
                event.set("resource", Wire.resource(change.resource(), redact));
                send(out, event);
            }
        } finally {
            stop.run();
        }
    }

    private void events(JsonNode request, OutputStream out) throws IOException, InterruptedException {
        BlockingQueue<dev.discoveryd.agent.core.AgentEvent> queue = new ArrayBlockingQueue<>(WATCH_QUEUE);
        boolean follow = request.path("follow").asBoolean(false);
        Runnable stop = follow ? events.follow(queue::offer) : () -> { };
        try {
            ObjectNode first = Wire.JSON.createObjectNode();
            first.put("node", node);
            ArrayNode list = first.putArray("events");
            events.tail(request.path("tail").asInt(-1)).forEach(e -> list.add(Wire.event(e)));
            send(out, first);
            while (follow) {
                var e = queue.poll(5, TimeUnit.SECONDS);
                if (e == null) {
                    out.write('\n');
                    out.flush();
                } else {
                    ObjectNode line = Wire.JSON.createObjectNode();
                    line.set("event", Wire.event(e));
                    send(out, line);
                }
            }
        } finally {
            stop.run();
        }
    }

    private static ObjectNode error(String message) {
        ObjectNode node = Wire.JSON.createObjectNode();
        node.put("error", message);
        return node;
    }

    private static void send(OutputStream out, JsonNode node) throws IOException {
        out.write(Wire.JSON.writeValueAsBytes(node));
        out.write('\n');
        out.flush();
    }

    /** A socket file left by a crashed agent is removed; a live one means another agent owns this state dir. */
    private static void removeStale(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        boolean live;
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            live = probe.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            live = false;
        }
        if (live) {
            throw new IOException("another agent is running on " + path);
        }
        Files.delete(path);
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("closing the control socket: {}", e.getMessage());
        }
        handlers.shutdownNow();
    }
}
