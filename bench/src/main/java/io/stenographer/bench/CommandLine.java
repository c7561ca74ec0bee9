package io.stenographer.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} pairs of a benchmark's command line; each option is taken once, with its default. */
public final class CommandLine {

    private final Map<String, String> given = new HashMap<>();

    private CommandLine() {
    }

    public static CommandLine parse(String[] args) {
        CommandLine line = new CommandLine();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + name + "'");
            }
            line.given.put(name.substring(2), args[++i]);
        }
        return line;
    }

    public String take(String name, String fallback) {
        String value = given.remove(name);
        return value == null ? fallback : value;
    }

    /** A positive integer; {@code 1_000_000} is accepted. */
    public int positive(String name, int fallback) {
        String value = given.remove(name);
        int parsed = value == null ? fallback : Integer.parseInt(value.replace("_", ""));
        if (parsed < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1");
        }
        return parsed;
    }

    /** Fails on any option no one took: a typo must not silently fall back to a default. */
    public void requireAllTaken() {
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): " + given.keySet());
        }
    }
}
