package dev.discoveryd.agent.core;

/** KubeSpan peer state as talosctl prints it. */
public enum PeerState {
    UNKNOWN("unknown"),
    UP("up"),
    DOWN("down");

    private final String text;

    PeerState(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
