package dev.discoveryd.nodeclient.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command's arguments, parsed against its options: {@code --name value}, {@code --name=value}, short options
 * clustered ({@code -vv}) or with the value attached ({@code -ojson}), {@code --} ending the options. Every value is
 * converted while parsing, so a bad one is a usage error before anything runs. No reflection, no annotations: a
 * one-shot CLI pays for every class it loads.
 */
final class CliArgs {
    private final Map<CliOption<?>, List<Object>> values = new IdentityHashMap<>();

    private CliArgs() {
    }

    /** Parses {@code args[from..]}; positions in errors count from the start of {@code args}, as the user typed them. */
    static CliArgs parse(List<CliOption<?>> options, String[] args, int from) throws UsageError {
        Map<String, CliOption<?>> byName = new HashMap<>();
        for (CliOption<?> option : options) {
            option.names().forEach(name -> byName.put(name, option));
        }
        CliArgs parsed = new CliArgs();
        boolean optionsEnded = false;
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                throw new UsageError("Unmatched argument at index " + i + ": '" + arg + "'");
            }
            if (arg.equals("--")) {
                optionsEnded = true;
            } else if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg : arg.substring(0, eq);
                CliOption<?> option = byName.get(name);
                if (option == null) {
                    throw new UsageError("Unknown option: '" + name + "'");
                }
                if (!option.takesValue()) {
                    if (eq >= 0) {
                        throw new UsageError("Option '" + name + "' takes no value, but was given '" + arg.substring(eq + 1) + "'");
                    }
                    parsed.add(option, "true");
                } else if (eq >= 0) {
                    parsed.add(option, arg.substring(eq + 1));
                } else {
                    parsed.add(option, valueAfter(args, ++i, option, byName));
                }
            } else {
                for (int c = 1; c < arg.length(); c++) {
                    String name = "-" + arg.charAt(c);
                    CliOption<?> option = byName.get(name);
                    if (option == null) {
                        throw new UsageError(c == 1 ? "Unknown option: '" + arg + "'"
                                : "Unknown option: '" + name + "' in '" + arg + "'");
                    }
                    if (!option.takesValue()) {
                        parsed.add(option, "true");
                        continue;
                    }
                    String rest = arg.substring(c + 1);
                    parsed.add(option, !rest.isEmpty() ? (rest.startsWith("=") ? rest.substring(1) : rest)
                            : valueAfter(args, ++i, option, byName));
                    break;
                }
            }
        }
        boolean help = parsed.values.keySet().stream().anyMatch(o -> o.names().contains("--help"));
        for (CliOption<?> option : options) {
            if (option.required() && !parsed.values.containsKey(option) && !help) {
                throw missing(options, parsed);
            }
            if (option.defaultText() != null && !parsed.values.containsKey(option)) {
                parsed.add(option, option.defaultText());
            }
        }
        return parsed;
    }

    /** True if the flag was given. */
    boolean has(CliOption<Boolean> flag) {
        return values.containsKey(flag);
    }

    /** How often a counted option was given. */
    int count(CliOption<Integer> counted) {
        List<Object> given = values.get(counted);
        return given == null ? 0 : given.size();
    }

    /** The option's value, its default, or null. */
    @SuppressWarnings("unchecked")
    <T> T get(CliOption<T> option) {
        List<Object> given = values.get(option);
        return given == null ? null : (T) given.get(0);
    }

    /** Every value of a repeatable option, in the order given. */
    @SuppressWarnings("unchecked")
    <T> List<T> all(CliOption<T> option) {
        List<Object> given = values.get(option);
        return given == null ? List.of() : (List<T>) List.copyOf(given);
    }

    private void add(CliOption<?> option, String text) throws UsageError {
        List<Object> given = values.computeIfAbsent(option, o -> new ArrayList<>());
        boolean repeatable = option.kind() == CliOption.Kind.LIST || option.kind() == CliOption.Kind.COUNT;
        if (!given.isEmpty() && !repeatable) {
            throw new UsageError("option '" + option.longName() + "'" + (option.label() == null ? "" : " (" + option.label() + ")")
                    + " should be specified only once");
        }
        try {
            given.add(option.converter().apply(text));
        } catch (IllegalArgumentException e) {
            throw new UsageError("Invalid value for option '" + option.longName() + "': " + e.getMessage());
        }
    }

    private static String valueAfter(String[] args, int i, CliOption<?> option, Map<String, CliOption<?>> byName)
            throws UsageError {
        if (i >= args.length) {
            throw new UsageError("Missing required parameter for option '" + option.longName() + "' (" + option.label() + ")");
        }
        String next = args[i];
        int eq = next.indexOf('=');
        if (byName.containsKey(eq < 0 ? next : next.substring(0, eq))) {
            throw new UsageError("Expected parameter for option '" + option.longName() + "' but found '" + next + "'");
        }
        return next;
    }

    private static UsageError missing(List<CliOption<?>> options, CliArgs parsed) {
        List<String> absent = new ArrayList<>();
        for (CliOption<?> option : options) {
            if (option.required() && !parsed.values.containsKey(option)) {
                absent.add("'" + option.synopsis() + "'");
            }
        }
        return new UsageError("Missing required option" + (absent.size() > 1 ? "s" : "") + ": " + String.join(", ", absent));
    }

    /** A command line that does not fit the command: printed with the command's usage, exit code 2. */
    static final class UsageError extends Exception {
        UsageError(String message) {
            super(message, null, false, false);
        }
    }
}
