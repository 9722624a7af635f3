package dev.discoveryd.service.ops;

import java.util.Map;

/** Reads sample values out of a Prometheus text exposition. */
final class PromText {
    private final String text;

    PromText(String text) {
        this.text = text;
    }

    /** The value of the one sample {@code name} whose labels include {@code labels}; fails when there is none. */
    double value(String name, Map<String, String> labels) {
        Double found = find(name, labels);
        if (found == null) {
            throw new AssertionError("no sample " + name + labels + " in the scrape:\n" + text);
        }
        return found;
    }

    double value(String name) {
        return value(name, Map.of());
    }

    boolean has(String name) {
        return find(name, Map.of()) != null;
    }

    private Double find(String name, Map<String, String> labels) {
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            int close = line.lastIndexOf('}');
            String labelPart = close < 0 ? "" : line.substring(name.length(), close + 1);
            boolean all = labels.entrySet().stream()
                    .allMatch(e -> labelPart.contains(e.getKey() + "=\"" + e.getValue() + "\""));
            if (all) {
                String value = line.substring(close < 0 ? name.length() : close + 1).trim().split(" ")[0];
                return Double.parseDouble(value);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return text;
    }
}
