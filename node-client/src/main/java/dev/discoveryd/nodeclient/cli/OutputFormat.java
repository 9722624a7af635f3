package dev.discoveryd.nodeclient.cli;

import java.util.Arrays;

/** How commands print affiliates. */
enum OutputFormat {
    table, json, yaml;

    /** {@code -o}'s text, exactly as the constant is spelled. */
    static OutputFormat parse(String text) {
        for (OutputFormat format : values()) {
            if (format.name().equals(text)) {
                return format;
            }
        }
        throw new IllegalArgumentException("expected one of " + Arrays.toString(values()) + " (case-sensitive) but was '" + text + "'");
    }
}
