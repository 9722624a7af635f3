package dev.discoveryd.nodeclient.client;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import java.time.Duration;

/** HTTP/2 pings on one connection; a ping still unanswered when the next one is due means the link is dead. */
final class Keepalive {
    private final Vertx vertx;
    private long timer = -1;

    Keepalive(Vertx vertx) {
        this.vertx = vertx;
    }

    void start(HttpConnection connection, Duration interval, Runnable onDead) {
        cancel();
        boolean[] awaitingAck = {false};
        timer = vertx.setPeriodic(interval.toMillis(), id -> {
            if (awaitingAck[0]) {
                cancel();
                onDead.run();
                return;
            }
            awaitingAck[0] = true;
            connection.ping(Buffer.buffer(new byte[8])).onSuccess(ack -> awaitingAck[0] = false);
        });
    }

    void cancel() {
        if (timer != -1) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
