package dev.discoveryd.agent.core;

import java.util.Set;

/** Talos machine types as text (machine.ParseType). */
public final class MachineType {
    public static final String WORKER = "worker";
    public static final String CONTROLPLANE = "controlplane";
    public static final String INIT = "init";
    private static final Set<String> KNOWN = Set.of(WORKER, CONTROLPLANE, INIT);

    private MachineType() {
    }

    /** Empty means worker; anything Talos does not know is {@code unknown}. */
    public static String parse(String text) {
        if (text == null || text.isEmpty()) {
            return WORKER;
        }
        return KNOWN.contains(text) ? text : AffiliateSpec.UNKNOWN_TYPE;
    }

    public static boolean isKnown(String text) {
        return KNOWN.contains(text);
    }
}
