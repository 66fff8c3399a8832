package io.dentryguard.operator.decide;

/**
 * Why the operator held an action back. The reason is written as CamelCase in the NodeHealth's
 * status.skipReason, the Event and the metric; a warning one makes a Warning Event.
 */
public enum SkipReason {
    NODE_NOT_FOUND("NodeNotFound", true),
    OPTED_OUT("OptedOut", false),
    PAUSED("Paused", false),
    SPEC_UNREADABLE("SpecUnreadable", true),
    REPORT_UNREADABLE("ReportUnreadable", true),
    NEVER_REPORTED("NeverReported", false),
    REPORT_STALE("ReportStale", true),
    PROBE_CANNOT_MEASURE("ProbeCannotMeasure", false),
    TAINT_HELD_BY_OTHERS("TaintHeldByOthers", false),
    TAINT_CEILING_REACHED("TaintCeilingReached", true),
    HOLD_DOWN("HoldDown", false),
    DRY_RUN("DryRun", false);

    private final String reason;
    private final boolean warning;

    SkipReason(String reason, boolean warning) {
        this.reason = reason;
        this.warning = warning;
    }

    /** CamelCase, as Kubernetes writes reasons. */
    public String reason() {
        return reason;
    }

    public boolean warning() {
        return warning;
    }

    /** The reason recorded in a status, or null when there is none or it is not one this version knows. */
    public static SkipReason of(String reason) {
        for (SkipReason r : values()) {
            if (r.reason.equals(reason)) {
                return r;
            }
        }
        return null;
    }
}
