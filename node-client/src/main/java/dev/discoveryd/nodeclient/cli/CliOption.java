package dev.discoveryd.nodeclient.cli;

import java.util.List;
import java.util.function.Function;

/**
 * One command-line option: its names, whether it takes a value (and how often), how its text becomes a value, and
 * how {@code --help} shows it. A converter that throws {@link IllegalArgumentException} makes a usage error.
 *
 * @param label the value's placeholder in help ({@code --ttl=DURATION}); null for a flag
 * @param defaultText the text converted when the option is absent; null for none
 */
record CliOption<T>(List<String> names, String label, String description, Kind kind, boolean required,
        String defaultText, Function<String, T> converter) {

    enum Kind {
        /** Present or not: {@code --insecure}. */
        FLAG,
        /** Counted, may repeat and cluster: {@code -v}, {@code -vv}. */
        COUNT,
        /** One value: {@code --endpoint URL} or {@code --endpoint=URL}. */
        VALUE,
        /** A value each time it is given: {@code --address A --address B}. */
        LIST
    }

    static CliOption<Boolean> flag(String description, String... names) {
        return new CliOption<>(List.of(names), null, description, Kind.FLAG, false, null, text -> true);
    }

    static CliOption<Integer> count(String description, String... names) {
        return new CliOption<>(List.of(names), null, description, Kind.COUNT, false, null, text -> 1);
    }

    static CliOption<String> value(String label, String description, String... names) {
        return new CliOption<>(List.of(names), label, description, Kind.VALUE, false, null, Function.identity());
    }

    static CliOption<String> list(String label, String description, String... names) {
        return new CliOption<>(List.of(names), label, description, Kind.LIST, false, null, Function.identity());
    }

    CliOption<T> require() {
        return new CliOption<>(names, label, description, kind, true, defaultText, converter);
    }

    CliOption<T> defaultValue(String text) {
        return new CliOption<>(names, label, description.replace("${DEFAULT-VALUE}", text), kind, required, text, converter);
    }

    <R> CliOption<R> as(Function<String, R> convert) {
        return new CliOption<>(names, label, description, kind, required, defaultText, convert);
    }

    boolean takesValue() {
        return kind == Kind.VALUE || kind == Kind.LIST;
    }

    /** The last, long name: how errors name the option ({@code '--output'}, not {@code '-o'}). */
    String longName() {
        return names.get(names.size() - 1);
    }

    /** {@code --endpoint=URL_OR_HOST:PORT}, or just the name for a flag. */
    String synopsis() {
        return label == null ? longName() : longName() + "=" + label;
    }
}
