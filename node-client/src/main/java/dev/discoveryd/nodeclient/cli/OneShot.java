package dev.discoveryd.nodeclient.cli;

import dev.discoveryd.nodeclient.state.ServerAddress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;

/**
 * What the one-shot commands (list, publish) share: a Vert.x sized for one request, a single attempt (no backoff,
 * unlike the daemon-style client), and connection failures an operator can read at once.
 */
final class OneShot {
    private OneShot() {
    }

    /** One event loop, no file cache in /tmp, no blocked-thread checker: a CLI run lasts a second. */
    static Vertx vertx() {
        return Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setBlockedThreadCheckInterval(1)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.HOURS)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
    }

    /** Waits for a command's outcome; a failure to reach the server becomes one clear line. */
    static <T> T await(Future<T> outcome, ServerAddress server) throws Exception {
        try {
            return outcome.await();
        } catch (Exception e) {
            if (e instanceof ConnectException || e instanceof UnknownHostException) {
                throw new CommandFailure("cannot connect to " + server + ": " + reason(e));
            }
            throw e;
        }
    }

    /** Netty's text ends in the address ("Connection refused: /127.0.0.1:1"); the endpoint is said once, first. */
    static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int address = message.indexOf(": /");
        if (address > 0) {
            message = message.substring(0, address);
        }
        return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    /** A failure whose message is the whole story: printed as {@code error: <message>}, exit code 1. */
    static final class CommandFailure extends Exception {
        CommandFailure(String message) {
            super(message, null, false, false);
        }
    }
}
