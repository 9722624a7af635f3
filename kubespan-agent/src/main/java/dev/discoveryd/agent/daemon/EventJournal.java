package dev.discoveryd.agent.daemon;

import dev.discoveryd.agent.core.AgentEvent;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last {@value #CAPACITY} events (messages cut to {@value #MAX_MESSAGE} characters, so at most a few
 * hundred KiB), for {@code events --tail}; each is also one log line.
 */
public final class EventJournal {
    public static final int CAPACITY = 1000;
    public static final int MAX_MESSAGE = 200;
    private static final Logger LOG = LoggerFactory.getLogger("events");

    private final ArrayDeque<AgentEvent> events = new ArrayDeque<>();
    private final List<Consumer<AgentEvent>> followers = new CopyOnWriteArrayList<>();

    public void record(AgentEvent event) {
        String message = event.message().length() > MAX_MESSAGE ? event.message().substring(0, MAX_MESSAGE) + "…" : event.message();
        AgentEvent kept = new AgentEvent(event.time(), event.kind(), event.id(), message);
        synchronized (this) {
            if (events.size() == CAPACITY) {
                events.removeFirst();
            }
            events.addLast(kept);
        }
        LOG.info("{} {}", kept.kind(), kept.message());
        followers.forEach(f -> f.accept(kept));
    }

    /** The last {@code n} events, oldest first; {@code n < 0} means all that are kept. */
    public synchronized List<AgentEvent> tail(int n) {
        List<AgentEvent> all = List.copyOf(events);
        return n < 0 || n >= all.size() ? all : all.subList(all.size() - n, all.size());
    }

    public Runnable follow(Consumer<AgentEvent> follower) {
        followers.add(follower);
        return () -> followers.remove(follower);
    }
}
