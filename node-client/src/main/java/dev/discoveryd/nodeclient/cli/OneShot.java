package dev.discoveryd.nodeclient.cli;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.discoveryd.api.server.HelloResponse;
import dev.discoveryd.nodeclient.client.DiscoveryClientOptions;
import dev.discoveryd.nodeclient.h2.Dialer;
import dev.discoveryd.nodeclient.h2.GrpcChannel;
import dev.discoveryd.nodeclient.h2.GrpcStatusException;
import dev.discoveryd.nodeclient.state.Requests;
import dev.discoveryd.nodeclient.state.ServerAddress;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the one-shot commands (list, publish) share: one connection on the calling thread through the CLI's own
 * gRPC-over-HTTP/2 client (no event loop to start), one attempt (no backoff, unlike the daemon-style client), Hello
 * with its redirects, and failures an operator can read at once.
 */
final class OneShot implements AutoCloseable {
    static final String HELLO = "/sidero.discovery.server.Cluster/Hello";
    static final String LIST = "/sidero.discovery.server.Cluster/List";
    static final String UPDATE = "/sidero.discovery.server.Cluster/AffiliateUpdate";
    private static final Logger LOG = LoggerFactory.getLogger(OneShot.class);
    private static final int MAX_REDIRECTS = 5;

    private final GrpcChannel channel;

    private OneShot(GrpcChannel channel) {
        this.channel = channel;
    }

    /** Connects and says Hello, following redirects; the result is the server that accepted us. */
    static OneShot connect(ServerAddress first, DiscoveryClientOptions options) throws CommandFailure {
        Dialer.Trust trust = new Dialer.Trust(options.trustAll(), options.caCertificatePath());
        ServerAddress server = first;
        for (int redirects = 0; ; redirects++) {
            GrpcChannel channel = open(server, trust, options);
            OneShot oneShot = new OneShot(channel);
            HelloResponse hello;
            try {
                hello = oneShot.call(HELLO, Requests.hello(options.clusterId(), options.clientVersion()),
                        HelloResponse.parser(), options.helloTimeout());
            } catch (CommandFailure e) {
                channel.close();
                throw e;
            }
            if (!hello.hasRedirect() || hello.getRedirect().getEndpoint().isEmpty()) {
                LOG.info("connected to {}", server);
                return oneShot;
            }
            channel.close();
            if (redirects == MAX_REDIRECTS) {
                throw new CommandFailure("too many redirects (last from " + server + ")");
            }
            ServerAddress next;
            try {
                next = server.redirectTo(hello.getRedirect().getEndpoint());
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(server + " redirected to an unusable endpoint: " + e.getMessage());
            }
            LOG.info("{} redirects to {}", server, next);
            server = next;
        }
    }

    <T> T call(String method, MessageLite request, Parser<T> parser, Duration timeout) throws CommandFailure {
        ServerAddress server = channel.server();
        try {
            return channel.call(method, request, parser, timeout);
        } catch (GrpcStatusException e) {
            throw new CommandFailure(server + " answered " + e.getMessage());
        } catch (SocketTimeoutException e) {
            throw new CommandFailure("no answer from " + server + " within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new CommandFailure(server + ": " + reason(e));
        }
    }

    @Override
    public void close() {
        channel.close();
    }

    /** The TLS handshake counts against the Hello's deadline, as with the library client. */
    private static GrpcChannel open(ServerAddress server, Dialer.Trust trust, DiscoveryClientOptions options)
            throws CommandFailure {
        try {
            return GrpcChannel.connect(server, trust, options.connectTimeout(), options.helloTimeout(), options.clientVersion());
        } catch (UnknownHostException | SocketException | SocketTimeoutException e) {
            throw new CommandFailure("cannot connect to " + server + ": " + reason(e));
        } catch (SSLException e) {
            throw new CommandFailure("TLS with " + server + " failed: " + reason(e));
        } catch (IOException e) {
            throw new CommandFailure(server + ": " + reason(e));
        }
    }

    /** The JDK's text ("Connection refused", "Connect timed out"), starting lower case after our prefix. */
    static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    /** A failure whose message is the whole story: printed as {@code error: <message>}, exit code 1. */
    static final class CommandFailure extends Exception {
        CommandFailure(String message) {
            super(message, null, false, false);
        }
    }
}
