package dev.discoveryd.nodeclient.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes affiliate views as an aligned table, a JSON array or a YAML list. */
final class Printer {
    private static final String[] COLUMNS = {"ID", "HOSTNAME", "MACHINE TYPE", "OS", "ADDRESSES", "KUBESPAN", "ENDPOINTS"};
    private static final String[] KEYS = {"id", "hostname", "machineType", "operatingSystem", "addresses", "kubespan", "endpoints"};

    private final PrintWriter out;
    private final OutputFormat format;

    Printer(PrintWriter out, OutputFormat format) {
        this.out = out;
        this.format = format;
    }

    void printList(List<Map<String, Object>> views) {
        switch (format) {
            case json -> out.println(write(json(true), views));
            case yaml -> out.print(write(yaml(), views));
            case table -> table(views);
        }
        out.flush();
    }

    /** One change event: a JSON line, a YAML document, or a one-line summary. */
    void printEvent(String event, Map<String, Object> view) {
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("event", event);
        wrapped.put("affiliate", view);
        switch (format) {
            case json -> out.println(write(json(false), wrapped));
            case yaml -> out.print(write(yaml(), wrapped));
            case table -> out.println(event.toUpperCase() + "\t" + String.join("\t", row(view)));
        }
        out.flush();
    }

    private void table(List<Map<String, Object>> views) {
        int[] widths = new int[COLUMNS.length];
        List<String[]> rows = views.stream().map(Printer::row).toList();
        for (int i = 0; i < COLUMNS.length; i++) {
            widths[i] = COLUMNS[i].length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        out.println(line(COLUMNS, widths));
        rows.forEach(row -> out.println(line(row, widths)));
    }

    private static String[] row(Map<String, Object> view) {
        String[] cells = new String[KEYS.length];
        for (int i = 0; i < KEYS.length; i++) {
            cells[i] = cell(KEYS[i], view.get(KEYS[i]));
        }
        if (view.containsKey("error") && !view.containsKey("hostname")) {
            cells[1] = "<" + view.get("error") + ">";
        }
        return cells;
    }

    private static String cell(String key, Object value) {
        if (value == null) {
            return "";
        }
        if (key.equals("kubespan") && value instanceof Map<?, ?> ks) {
            return String.valueOf(ks.get("address"));
        }
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    private static String line(String[] cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            sb.append(i == cells.length - 1 ? cells[i] : String.format("%-" + widths[i] + "s   ", cells[i]));
        }
        return sb.toString().stripTrailing();
    }

    private static ObjectMapper json(boolean pretty) {
        return new ObjectMapper().configure(SerializationFeature.INDENT_OUTPUT, pretty);
    }

    private static ObjectMapper yaml() {
        return new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    }

    private static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize output", e);
        }
    }
}
