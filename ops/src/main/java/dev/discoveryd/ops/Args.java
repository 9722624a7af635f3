package dev.discoveryd.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The benchmarks' {@code --name=value} flags. */
final class Args {
    private Args() {
    }

    /** The value of {@code --name=value} in {@code args}, or {@code fallback} when absent. */
    static String arg(String[] args, String name, String fallback) {
        for (String a : args) {
            if (a.startsWith("--" + name + "=")) {
                return a.substring(name.length() + 3);
            }
        }
        return fallback;
    }

    /**
     * The server launch commands to compare, from the {@code name=command words} arguments (those not starting with
     * {@code --}), in the order given; the plain jar when there are none.
     */
    static Map<String, List<String>> launchVariants(String[] args) {
        Map<String, List<String>> variants = new LinkedHashMap<>();
        for (String a : args) {
            if (!a.startsWith("--")) {
                int eq = a.indexOf('=');
                if (eq <= 0 || a.substring(eq + 1).isBlank()) {
                    throw new IllegalArgumentException("expected name=command, got \"" + a + "\"");
                }
                variants.put(a.substring(0, eq), List.of(a.substring(eq + 1).trim().split("\\s+")));
            }
        }
        if (variants.isEmpty()) {
            variants.put("jar", List.of("java", "-jar", "service/target/discoveryd.jar"));
        }
        return variants;
    }
}
