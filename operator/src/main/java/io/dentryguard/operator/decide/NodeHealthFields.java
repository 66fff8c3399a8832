package io.dentryguard.operator.decide;

import io.dentryguard.api.v1alpha1.Rfc3339;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;

/**
 * The fields of a NodeHealth's status that the operator writes (the probe owns the others, and each
 * side patches only its own): as recorded, or as a decision wants them.
 *
 * @param intendedActions the last {@value #KEPT_ACTIONS} actions, each prefixed with its time
 */
public record NodeHealthFields(Boolean tainted, String healthySince, String skipReason, List<String> intendedActions,
                               List<Condition> conditions) {
    public static final int KEPT_ACTIONS = 20;
    public static final NodeHealthFields NONE = new NodeHealthFields(null, null, null, List.of(), List.of());

    public NodeHealthFields {
        intendedActions = List.copyOf(intendedActions);
        conditions = List.copyOf(conditions);
    }

    /** When the operator last added or changed its taint (done, not only intended), or null. */
    Instant lastTaintedAt() {
        Instant latest = null;
        for (String entry : intendedActions) {
            int space = entry.indexOf(' ');
            String action = entry.substring(space + 1);
            if (space > 0 && action.endsWith(TaintChange.DONE)
                    && (action.startsWith(TaintChange.Kind.ADD.verb()) || action.startsWith(TaintChange.Kind.CHANGE.verb()))) {
                Instant at = Rfc3339.parse(entry.substring(0, space));
                latest = at != null && (latest == null || at.isAfter(latest)) ? at : latest;
            }
        }
        return latest;
    }

    /** The latest recorded action without its time ("2026-... add taint ... (done)" -> "add taint ... (done)"), or null. */
    String lastAction() {
        if (intendedActions.isEmpty()) {
            return null;
        }
        String last = intendedActions.get(intendedActions.size() - 1);
        int space = last.indexOf(' ');
        return space < 0 ? last : last.substring(space + 1);
    }
}
