package io.dentryguard.operator.decide;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A change of the operator's taint on a Node: what the decision calls for, what the adapter applies,
 * what the metrics count and what the NodeHealth's status.intendedActions records.
 */
public record TaintChange(Kind kind, Optional<TaintEffect> from, Optional<TaintEffect> to) {
    public enum Kind {
        ADD, REMOVE, CHANGE;

        /** The metric's action label: add_taint, remove_taint, change_taint. */
        public String metricName() {
            return name().toLowerCase(Locale.ROOT) + "_taint";
        }

        /** How a recorded action starts: "add taint". */
        String verb() {
            return name().toLowerCase(Locale.ROOT) + " taint";
        }
    }

    static final String DONE = " (done)";
    static final String NOT_DONE = " (dry-run, not done)";

    /** The change from one taint (or none) to another; empty when they are the same. */
    public static Optional<TaintChange> between(Optional<TaintEffect> from, Optional<TaintEffect> to) {
        if (from.equals(to)) {
            return Optional.empty();
        }
        Kind kind = to.isEmpty() ? Kind.REMOVE : from.isEmpty() ? Kind.ADD : Kind.CHANGE;
        return Optional.of(new TaintChange(kind, from, to));
    }

    /** As people read it: "add taint dentryguard.io/dentry-pressure=dentry-guard:NoSchedule". */
    public String describe() {
        return kind.verb() + " " + switch (kind) {
            case ADD -> NodeDecision.taint(to.orElseThrow());
            case REMOVE -> NodeDecision.taint(from.orElseThrow());
            case CHANGE -> NodeDecision.taint(from.orElseThrow()) + " to " + to.orElseThrow().apiName();
        };
    }

    /** As status.intendedActions records it, without the time: whether it was done or only intended. */
    public String recorded(boolean done) {
        return describe() + (done ? DONE : NOT_DONE);
    }

    /** An entry of status.intendedActions: "2026-11-30T05:00:00Z add taint ... (done)". */
    public String recorded(boolean done, Instant at) {
        return at + " " + recorded(done);
    }
}
