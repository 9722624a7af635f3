package dev.discoveryd.agent.resource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The agent's resources, versioned as cosi does (a version per change of the spec). Written by the
 * agent loop, read and watched by the control socket. Thread-safe.
 */
public final class ResourceStore {
    /** A change: {@code created}, {@code updated} or {@code destroyed}. */
    public record Change(String kind, Resource resource) {
    }

    private final Map<String, Map<String, Resource>> byTypeAndNamespace = new TreeMap<>();
    private final List<Consumer<Change>> watchers = new CopyOnWriteArrayList<>();

    /** Makes the resources of {@code type} in {@code namespace} exactly {@code specs} (by ID). */
    public void replaceAll(String type, String namespace, String owner, Map<String, Map<String, Object>> specs, Instant now) {
        List<Change> changes = new ArrayList<>();
        Instant at = now.truncatedTo(ChronoUnit.SECONDS);
        synchronized (this) {
            Map<String, Resource> current = byTypeAndNamespace.computeIfAbsent(key(type, namespace), k -> new TreeMap<>());
            for (String id : List.copyOf(current.keySet())) {
                if (!specs.containsKey(id)) {
                    changes.add(new Change("destroyed", current.remove(id)));
                }
            }
            specs.forEach((id, spec) -> {
                Resource old = current.get(id);
                if (old == null) {
                    Resource r = new Resource(namespace, type, id, 1, owner, at, at, spec);
                    current.put(id, r);
                    changes.add(new Change("created", r));
                } else if (!Objects.equals(old.spec(), spec)) {
                    Resource r = new Resource(namespace, type, id, old.version() + 1, owner, old.created(), at, spec);
                    current.put(id, r);
                    changes.add(new Change("updated", r));
                }
            });
        }
        for (Change change : changes) {
            watchers.forEach(w -> w.accept(change));
        }
    }

    public synchronized List<Resource> list(String type, String namespace) {
        Map<String, Resource> current = byTypeAndNamespace.get(key(type, namespace));
        return current == null ? List.of() : List.copyOf(current.values());
    }

    /** Watches changes; the returned handle stops it. Watchers are called on the writer's thread: be quick. */
    public Runnable watch(Consumer<Change> watcher) {
        watchers.add(watcher);
        return () -> watchers.remove(watcher);
    }

    private static String key(String type, String namespace) {
        return type + "/" + namespace;
    }
}
