package io.dentryguard.api.v1alpha1;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The times of a NodeHealth (lastReportTime, verdictSince, healthySince, a condition's lastTransitionTime). */
public final class Rfc3339 {
    private Rfc3339() {}

    /** An RFC 3339 time, or null when absent or unreadable (the caller decides what unreadable means). */
    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
