package dev.discoveryd.nodeclient.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code --help} text within 80 columns, laid out as the CLI's users have known it: a synopsis (short flags
 * clustered, then flags, options, repeatable options, each group by name), the description, one row per option
 * sorted by name, and the subcommands.
 */
final class CliHelp {
    /** Descriptions fill up to this column, the synopsis stops one short (as picocli did). */
    private static final int WIDTH = 80;
    /** Option names longer than this put their description on the next line. */
    private static final int NAMES_MAX = 20;

    private CliHelp() {
    }

    static String usage(String path, String description, List<CliOption<?>> options, List<CliCommand> commands) {
        StringBuilder out = new StringBuilder();
        List<CliOption<?>> sorted = options.stream().sorted(Comparator.comparing(CliHelp::key)
                .thenComparing(CliHelp::firstName, Comparator.reverseOrder())).toList();
        wrap(out, "Usage: " + path + " ", synopsis(options, !commands.isEmpty()));
        words(description, WIDTH).forEach(line -> out.append(line).append('\n'));
        int column = 9 + sorted.stream().mapToInt(o -> longText(o).length()).filter(n -> n <= NAMES_MAX).max().orElse(0);
        for (CliOption<?> option : sorted) {
            row(out, option, column);
        }
        List<CliCommand> shown = commands.stream().filter(c -> !c.hidden()).toList();
        if (!shown.isEmpty()) {
            out.append("Commands:\n");
            int width = shown.stream().mapToInt(c -> c.name().length()).max().orElse(0);
            for (CliCommand command : shown) {
                out.append("  ").append(command.name()).append(" ".repeat(width - command.name().length() + 2))
                        .append(command.description()).append('\n');
            }
        }
        return out.toString();
    }

    private static List<String> synopsis(List<CliOption<?>> options, boolean commands) {
        List<String> words = new ArrayList<>();
        StringBuilder cluster = new StringBuilder();
        options.stream().filter(o -> !o.takesValue() && shortName(o) != null).map(o -> shortName(o).charAt(1))
                .sorted(Comparator.comparing((Character c) -> Character.toLowerCase(c)).thenComparing(c -> c))
                .forEach(cluster::append);
        if (!cluster.isEmpty()) {
            words.add("[-" + cluster + "]");
        }
        Comparator<CliOption<?>> byKey = Comparator.comparing(CliHelp::key);
        options.stream().filter(o -> !o.takesValue() && shortName(o) == null).sorted(byKey)
                .forEach(o -> words.add("[" + o.longName() + "]"));
        options.stream().filter(o -> o.kind() == CliOption.Kind.VALUE).sorted(byKey).forEach(o -> {
            String text = firstName(o) + "=" + o.label();
            words.add(o.required() ? text : "[" + text + "]");
        });
        options.stream().filter(o -> o.kind() == CliOption.Kind.LIST).sorted(byKey)
                .forEach(o -> words.add("[" + firstName(o) + "=" + o.label() + "]..."));
        if (commands) {
            words.add("[COMMAND]");
        }
        return words;
    }

    /** Sorted by the first name without its dashes: {@code -o, --output} sorts as "o". */
    private static String key(CliOption<?> option) {
        return firstName(option).replaceFirst("^-+", "").toLowerCase();
    }

    private static String firstName(CliOption<?> option) {
        return option.names().get(0);
    }

    private static String shortName(CliOption<?> option) {
        String first = firstName(option);
        return first.length() == 2 && first.charAt(0) == '-' && first.charAt(1) != '-' ? first : null;
    }

    private static String longText(CliOption<?> option) {
        String longName = option.longName();
        if (longName.equals(shortName(option))) {
            return "";
        }
        return option.label() == null ? longName : longName + "=" + option.label();
    }

    /** The synopsis: words after the prefix, continued lines aligned under the first word. */
    private static void wrap(StringBuilder out, String prefix, List<String> words) {
        StringBuilder line = new StringBuilder(prefix);
        String indent = " ".repeat(Math.min(prefix.length(), WIDTH / 2));
        boolean first = true;
        for (String word : words) {
            if (!first && line.length() + 1 + word.length() >= WIDTH) {
                out.append(line).append('\n');
                line = new StringBuilder(indent);
                first = true;
            }
            line.append(first ? "" : " ").append(word);
            first = false;
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    /** {@code "  -o, --output=FORMAT   description"}: wrapped descriptions continue two columns further in. */
    private static void row(StringBuilder out, CliOption<?> option, int column) {
        String shortName = shortName(option);
        String names = "  " + (shortName == null ? "    " : shortName + (longText(option).isEmpty() ? "  " : ", "))
                + longText(option);
        String description = option.description();
        String first = words(description, WIDTH - column).get(0);
        if (names.length() + 1 > column) {
            out.append(names).append('\n').append(" ".repeat(column));
        } else {
            out.append(names).append(" ".repeat(column - names.length()));
        }
        out.append(first).append('\n');
        String rest = description.substring(first.length()).strip();
        if (!rest.isEmpty()) {
            words(rest, WIDTH - column - 2).forEach(line -> out.append(" ".repeat(column + 2)).append(line).append('\n'));
        }
    }

    private static List<String> words(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.isEmpty() ? "" : " ").append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
