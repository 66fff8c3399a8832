package io.dentryguard.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** A benchmark's {@code --name=value} arguments; an unknown name is an error, so that a typo does not measure the default. */
final class BenchArguments {
    private final Map<String, String> values = new HashMap<>();

    BenchArguments(String[] args, Set<String> known) {
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") ? arg.substring(2, eq < 0 ? arg.length() : eq) : "";
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown argument " + arg + "; known: --" + String.join("=, --", known) + "=");
            }
            values.put(name, eq < 0 ? "true" : arg.substring(eq + 1));
        }
    }

    String get(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }
}
