package dev.discoveryd.service.web;

/** Whether the service should get traffic: its state is loaded and its gRPC listeners are up. */
public final class Readiness {
    private volatile boolean stateLoaded;
    private volatile boolean listening;

    public void stateLoaded(boolean loaded) {
        this.stateLoaded = loaded;
    }

    public void listening(boolean up) {
        this.listening = up;
    }

    public boolean isReady() {
        return stateLoaded && listening;
    }

    /** Why not ready, or "ready". */
    public String describe() {
        if (!stateLoaded) {
            return "not ready: state is loading";
        }
        if (!listening) {
            return "not ready: gRPC listeners are not up";
        }
        return "ready";
    }
}
