package io.dentryguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * The probe's judgement of a node's dentry cache; the CRD only admits these values. Severity orders
 * every verdict but Unknown, which is below all of them: nothing may act on a node nobody measured.
 */
public enum Verdict {
    @JsonProperty("Healthy") HEALTHY(0),
    @JsonProperty("Warning") WARNING(1),
    @JsonProperty("Degraded") DEGRADED(2),
    @JsonProperty("Critical") CRITICAL(3),
    /** The probe could not measure (unreadable or malformed kernel data). */
    @JsonProperty("Unknown") UNKNOWN(-1);

    private final int severity;
    private final String displayName;

    Verdict(int severity) {
        this.severity = severity;
        this.displayName = capitalized(name());
    }

    /** As people and the JSON read it: "Degraded". */
    public String displayName() {
        return displayName;
    }

    public int severity() {
        return severity;
    }

    public boolean worseThan(Verdict other) {
        return severity > other.severity;
    }

    public static Verdict worst(Verdict a, Verdict b) {
        return a.severity >= b.severity ? a : b;
    }

    /** "DEGRADED" as "Degraded": the spelling of every constant's {@code @JsonProperty}. */
    static String capitalized(String constant) {
        return constant.charAt(0) + constant.substring(1).toLowerCase(Locale.ROOT);
    }
}
