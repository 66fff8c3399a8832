package io.dentryguard.api.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Kubernetes manifests write them: whole numbers with a unit of ms, s, m or h, one or
 * several in a row (500ms, 90s, 5m, 1h30m). The one grammar of the probe's and the operator's
 * command lines and settings files, so that a value copied from one to the other means the same.
 */
public final class Durations {
    /** What a refused value is told, after its own spelling. */
    public static final String NOT_A_DURATION = "is not a duration (like 90s, 5m, 1h30m)";

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Durations() {}

    /** The duration {@code text} spells (surrounding blanks aside), or empty if it spells none or too long a one. */
    public static Optional<Duration> parse(String text) {
        String t = text == null ? "" : text.strip();
        Matcher m = PART.matcher(t);
        Duration total = Duration.ZERO;
        int at = 0;
        try {
            while (at < t.length() && m.find(at) && m.start() == at) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                });
                at = m.end();
            }
        } catch (NumberFormatException | ArithmeticException tooLong) {
            return Optional.empty();
        }
        return t.isEmpty() || at != t.length() ? Optional.empty() : Optional.of(total);
    }
}
