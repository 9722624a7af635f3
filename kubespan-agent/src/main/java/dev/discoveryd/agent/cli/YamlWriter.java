package dev.discoveryd.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.regex.Pattern;

/** YAML as talosctl prints it (yaml.v3, 4-space indent), for the JSON trees the agent sends. */
final class YamlWriter {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./+=\\-][A-Za-z0-9_ ./:+=()\\[\\]\\-]*");
    private static final Pattern LOOKS_TYPED = Pattern.compile("(?i)(true|false|yes|no|on|off|y|n|null|~|[-+]?[0-9][0-9_]*(\\.[0-9_]*)?([eE][-+]?[0-9]+)?|0x[0-9a-f]+|[-+]?\\.inf|\\.nan)");

    private YamlWriter() {
    }

    static String write(JsonNode root) {
        StringBuilder out = new StringBuilder();
        mapping(root, 0, out);
        return out.toString();
    }

    private static void mapping(JsonNode node, int indent, StringBuilder out) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            out.append(" ".repeat(indent)).append(e.getKey()).append(':');
            value(e.getValue(), indent, out);
        }
    }

    private static void value(JsonNode v, int indent, StringBuilder out) {
        if (v.isObject() && v.size() > 0) {
            out.append('\n');
            mapping(v, indent + 4, out);
        } else if (v.isArray() && v.size() > 0) {
            out.append('\n');
            for (JsonNode item : v) {
                out.append(" ".repeat(indent + 4)).append("- ");
                if (item.isObject() && item.size() > 0) {
                    StringBuilder nested = new StringBuilder();
                    mapping(item, indent + 6, nested);
                    out.append(nested.substring(indent + 6));
                } else {
                    out.append(scalar(item)).append('\n');
                }
            }
        } else {
            out.append(' ').append(v.isObject() ? "{}" : v.isArray() ? "[]" : scalar(v)).append('\n');
        }
    }

    static String scalar(JsonNode v) {
        if (v.isNull()) {
            return "null";
        }
        if (!v.isTextual()) {
            return v.asText();
        }
        String s = v.asText();
        boolean plain = PLAIN.matcher(s).matches() && !LOOKS_TYPED.matcher(s).matches() && !s.contains(": ")
                && !s.endsWith(":") && !s.endsWith(" ");
        return plain ? s : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
