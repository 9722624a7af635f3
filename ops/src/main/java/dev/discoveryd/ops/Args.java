package dev.discoveryd.ops;

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
}
