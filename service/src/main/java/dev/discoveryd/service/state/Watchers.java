package dev.discoveryd.service.state;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The watchers of one cluster. Not thread-safe: guarded by its {@link ClusterRuntime}'s monitor. */
final class Watchers {
    private static final Logger LOG = LoggerFactory.getLogger(Watchers.class);

    private final StateListener listener;
    private final List<WatchSink> sinks = new ArrayList<>();

    Watchers(StateListener listener) {
        this.listener = listener;
    }

    void add(WatchSink sink) {
        sinks.add(sink);
        listener.watchersChanged(1);
    }

    boolean remove(WatchSink sink) {
        if (!sinks.remove(sink)) {
            return false;
        }
        listener.watchersChanged(-1);
        return true;
    }

    boolean isEmpty() {
        return sinks.isEmpty();
    }

    /** Hands {@code message} to every watcher; one that throws is ended alone, the others and the cluster go on. */
    void send(byte[] message) {
        for (Iterator<WatchSink> it = sinks.iterator(); it.hasNext(); ) {
            WatchSink watcher = it.next();
            try {
                watcher.send(message);
            } catch (RuntimeException e) {
                it.remove();
                listener.watchersChanged(-1);
                LOG.warn("a watcher failed to take a change and was ended: {}", e.toString());
                closeQuietly(watcher, "internal error");
            }
        }
    }

    void closeAll(String reason) {
        for (WatchSink watcher : sinks) {
            closeQuietly(watcher, reason);
        }
        listener.watchersChanged(-sinks.size());
        sinks.clear();
    }

    private static void closeQuietly(WatchSink watcher, String reason) {
        try {
            watcher.close(reason);
        } catch (RuntimeException ignored) {
            // Already broken; it is out of the list either way.
        }
    }
}
