package io.dentryguard.operator.apply;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.dentryguard.operator.decide.Decision;
import io.dentryguard.operator.decide.NodeDecision;
import io.dentryguard.operator.decide.Situation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The NodeHealth status fields the operator owns. The probe owns the rest; each side writes only
 * its own, so neither undoes the other's latest write.
 *
 * @param intendedActions the last {@value #KEPT_ACTIONS} actions, each prefixed with its time
 */
public record OperatorStatus(Boolean tainted, String healthySince, String skipReason, List<String> intendedActions,
                             List<Condition> conditions) {
    static final int KEPT_ACTIONS = 20;

    public OperatorStatus {
        intendedActions = List.copyOf(intendedActions);
        conditions = List.copyOf(conditions);
    }

    public static OperatorStatus of(NodeHealthStatus s) {
        if (s == null) {
            return new OperatorStatus(null, null, null, List.of(), List.of());
        }
        return new OperatorStatus(s.getTainted(), s.getHealthySince(), s.getSkipReason(),
                s.getIntendedActions() == null ? List.of() : s.getIntendedActions(),
                s.getConditions() == null ? List.of() : s.getConditions());
    }

    /** What the fields should read after {@code d} has been applied to the node. */
    public OperatorStatus after(Decision d, NodeHealth nh, Instant now) {
        List<String> actions = new ArrayList<>(intendedActions);
        d.intendedActions().forEach(a -> actions.add(now + " " + a));
        while (actions.size() > KEPT_ACTIONS) {
            actions.remove(0);
        }
        List<Condition> updated = new ArrayList<>(conditions);
        Situation.NodeCondition c = d.condition();
        Condition existing = conditions.stream().filter(x -> NodeDecision.CONDITION_TYPE.equals(x.getType())).findFirst().orElse(null);
        // observedGeneration alone is not a change: writing it at every generation would make each
        // write (the mock server bumps the generation on status writes) cause the next.
        if (existing == null || !c.sameAs(new Situation.NodeCondition(existing.getStatus(), existing.getReason(),
                existing.getMessage(), NodeReader.time(existing.getLastTransitionTime())))) {
            updated.removeIf(x -> NodeDecision.CONDITION_TYPE.equals(x.getType()));
            updated.add(new ConditionBuilder().withType(NodeDecision.CONDITION_TYPE).withStatus(c.status())
                    .withReason(c.reason()).withMessage(c.message()).withLastTransitionTime(c.lastTransitionTime().toString())
                    .withObservedGeneration(nh.getMetadata().getGeneration()).build());
        }
        return new OperatorStatus(d.taint().isPresent(), d.healthySince() == null ? null : d.healthySince().toString(),
                d.skipReason(), actions, updated);
    }
}
