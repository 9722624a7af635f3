package dev.discoveryd.service.web;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Whether the service should get traffic: its state is loaded, its gRPC listeners are up, and no part it depends on
 * has failed (e.g. the event log stopped taking changes).
 */
public final class Readiness {
    private volatile boolean stateLoaded;
    private volatile boolean listening;
    private final List<Supplier<String>> checks = new CopyOnWriteArrayList<>();

    public void stateLoaded(boolean loaded) {
        this.stateLoaded = loaded;
    }

    public void listening(boolean up) {
        this.listening = up;
    }

    /** Adds a part that can fail: {@code problem} answers why it is not fit to serve, or null while it is. */
    public void require(Supplier<String> problem) {
        checks.add(problem);
    }

    public boolean isReady() {
        return "ready".equals(describe());
    }

    /** Why not ready, or "ready". */
    public String describe() {
        if (!stateLoaded) {
            return "not ready: state is loading";
        }
        if (!listening) {
            return "not ready: gRPC listeners are not up";
        }
        for (Supplier<String> check : checks) {
            String problem = check.get();
            if (problem != null) {
                return "not ready: " + problem;
            }
        }
        return "ready";
    }
}
