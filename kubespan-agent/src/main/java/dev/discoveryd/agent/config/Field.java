package dev.discoveryd.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** A YAML node with the path that names it in error messages ({@code KubeSpanConfig.filters.endpoints}). */
record Field(String path, JsonNode node) {
    boolean present() {
        return node != null && !node.isNull() && !node.isMissingNode();
    }

    Field get(String key) {
        return new Field(path.isEmpty() ? key : path + "." + key, present() ? node.get(key) : null);
    }

    /** Rejects keys this document kind does not have (Talos decodes strictly). */
    Field only(String... keys) throws ConfigException {
        if (!present()) {
            return this;
        }
        if (!node.isObject()) {
            throw new ConfigException(path + ": must be a mapping");
        }
        Set<String> allowed = Set.of(keys);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new ConfigException((path.isEmpty() ? "" : path + ".") + key + ": unknown field");
            }
        }
        return this;
    }

    String text(String fallback) throws ConfigException {
        if (!present()) {
            return fallback;
        }
        if (!node.isTextual()) {
            throw new ConfigException(path + ": must be a string");
        }
        return node.asText();
    }

    Boolean bool(Boolean fallback) throws ConfigException {
        if (!present()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw new ConfigException(path + ": must be true or false");
        }
        return node.asBoolean();
    }

    int integer(int fallback) throws ConfigException {
        if (!present()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new ConfigException(path + ": must be a whole number");
        }
        return node.asInt();
    }

    /** Null when absent, so that "no filters" and "empty filters" stay different. */
    List<String> texts() throws ConfigException {
        if (!present()) {
            return null;
        }
        if (!node.isArray()) {
            throw new ConfigException(path + ": must be a list");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual()) {
                throw new ConfigException(path + "[" + i + "]: must be a string");
            }
            out.add(item.asText());
        }
        return out;
    }
}
