package io.dentryguard.probe.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.TypeConversionException;

/** Durations the way operators write them: 500ms, 5s, 2m, 1h (or ISO-8601 PT5S). */
final class DurationConverter {
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)");

    private DurationConverter() {}

    static Duration parse(String text) {
        Matcher m = SHORT.matcher(text.strip());
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        } else {
            try {
                d = Duration.parse(text.strip());
            } catch (RuntimeException e) {
                throw new TypeConversionException("'" + text + "' is not a duration (like 500ms, 5s, 2m)");
            }
        }
        if (d.isNegative() || d.isZero()) {
            throw new TypeConversionException("'" + text + "' must be longer than zero");
        }
        return d;
    }
}
