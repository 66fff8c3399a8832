package io.dentryguard.demo.cluster.table;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** An age as the API server writes it in a table cell ("45s", "3m20s", "5h", "12d"): Kubernetes' HumanDuration. */
public final class Ages {
    private Ages() {}

    /** The age at {@code now} of an RFC 3339 timestamp; "&lt;unknown&gt;" for none or one that does not parse. */
    public static String since(String timestamp, Instant now) {
        if (timestamp == null || timestamp.isEmpty()) {
            return "<unknown>";
        }
        try {
            return human(Duration.between(Instant.parse(timestamp), now));
        } catch (DateTimeParseException e) {
            return "<unknown>";
        }
    }

    static String human(Duration d) {
        if (d.compareTo(Duration.ofSeconds(-1)) < 0) {
            return "<invalid>";
        }
        long seconds = Math.max(0, d.toSeconds());
        long minutes = seconds / 60;
        long hours = minutes / 60;
        long days = hours / 24;
        if (seconds < 120) {
            return seconds + "s";
        } else if (minutes < 10) {
            return seconds % 60 == 0 ? minutes + "m" : minutes + "m" + seconds % 60 + "s";
        } else if (minutes < 180) {
            return minutes + "m";
        } else if (hours < 8) {
            return minutes % 60 == 0 ? hours + "h" : hours + "h" + minutes % 60 + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (days < 8) {
            return hours % 24 == 0 ? days + "d" : days + "d" + hours % 24 + "h";
        } else if (days < 365 * 2) {
            return days + "d";
        } else if (days < 365 * 8) {
            return days % 365 == 0 ? days / 365 + "y" : days / 365 + "y" + days % 365 + "d";
        }
        return days / 365 + "y";
    }
}
