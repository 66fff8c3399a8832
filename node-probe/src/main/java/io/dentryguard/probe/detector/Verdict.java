package io.dentryguard.probe.detector;

/** The probe's judgement of a node's dentry cache. Severity orders every verdict but Unknown. */
public enum Verdict {
    HEALTHY("Healthy", 0),
    WARNING("Warning", 1),
    DEGRADED("Degraded", 2),
    CRITICAL("Critical", 3),
    /** The probe could not measure (unreadable or malformed kernel data): nothing may act on it. */
    UNKNOWN("Unknown", -1);

    private final String displayName;
    private final int severity;

    Verdict(String displayName, int severity) {
        this.displayName = displayName;
        this.severity = severity;
    }

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

    @Override
    public String toString() {
        return displayName;
    }
}
