package dev.discoveryd.agent.cli;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.discoveryd.agent.control.Wire;
import dev.discoveryd.agent.resource.ResourceKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints resources the talosctl way: a table (NODE NAMESPACE TYPE ID VERSION + columns), YAML or JSON. */
final class Printer {
    private static final int PADDING = 3;

    private final PrintWriter out;
    private final String format;
    private final ResourceKind kind;
    private final String node;
    private final boolean watch;
    private int[] widths;
    private boolean firstDocument = true;

    Printer(PrintWriter out, String format, ResourceKind kind, String node, boolean watch) {
        this.out = out;
        this.format = format;
        this.kind = kind;
        this.node = node;
        this.watch = watch;
    }

    void printAll(List<JsonNode> resources) throws IOException {
        if (format.equals("table")) {
            List<List<String>> rows = new ArrayList<>();
            rows.add(header());
            resources.forEach(r -> rows.add(row(r, "")));
            widths = new int[rows.get(0).size()];
            for (List<String> row : rows) {
                for (int i = 0; i < row.size(); i++) {
                    widths[i] = Math.max(widths[i], row.get(i).length());
                }
            }
            rows.forEach(this::printRow);
        } else {
            for (JsonNode r : resources) {
                print(r, "");
            }
        }
        out.flush();
    }

    /** One watch event: {@code +} created, {@code -} destroyed, blank updated. */
    void print(JsonNode resource, String event) throws IOException {
        String mark = switch (event) {
            case "created" -> "+";
            case "destroyed" -> "-";
            default -> " ";
        };
        switch (format) {
            case "table" -> printRow(row(resource, mark));
            case "yaml" -> {
                if (!firstDocument) {
                    out.println("---");
                }
                out.print(YamlWriter.write(document(resource, event)));
            }
            default -> out.println(json(document(resource, event)));
        }
        firstDocument = false;
        out.flush();
    }

    private ObjectNode document(JsonNode resource, String event) {
        ObjectNode doc = Wire.JSON.createObjectNode();
        doc.put("node", node);
        if (watch && !event.isEmpty()) {
            doc.put("event", event);
        }
        doc.set("metadata", resource.get("metadata"));
        doc.set("spec", resource.get("spec"));
        return doc;
    }

    private List<String> header() {
        List<String> h = new ArrayList<>();
        if (watch) {
            h.add("*");
        }
        h.addAll(List.of("NODE", "NAMESPACE", "TYPE", "ID", "VERSION"));
        kind.columns().forEach(c -> h.add(c.header()));
        return h;
    }

    private List<String> row(JsonNode r, String mark) {
        JsonNode m = r.get("metadata");
        List<String> row = new ArrayList<>();
        if (watch) {
            row.add(mark);
        }
        row.addAll(List.of(node, m.get("namespace").asText(), kind.displayType(), m.get("id").asText(),
                m.get("version").asText()));
        for (ResourceKind.Column c : kind.columns()) {
            JsonNode v = r.get("spec").get(c.key());
            row.add(v == null || v.isNull() ? "" : v.isContainerNode() ? v.toString() : v.asText());
        }
        return row;
    }

    private void printRow(List<String> row) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
            String cell = row.get(i);
            line.append(cell);
            if (i < row.size() - 1) {
                int width = widths == null ? cell.length() : Math.max(widths[i], cell.length());
                line.append(" ".repeat(width - cell.length() + PADDING));
            }
        }
        out.println(line.toString().stripTrailing());
    }

    static String json(JsonNode node) throws IOException {
        DefaultPrettyPrinter pretty = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("    ", "\n"))
                .withArrayIndenter(new DefaultIndenter("    ", "\n"));
        return Wire.JSON.writer(pretty).writeValueAsString(node);
    }
}
