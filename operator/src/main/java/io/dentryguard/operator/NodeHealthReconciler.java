package io.dentryguard.operator;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.dentryguard.operator.apply.EventWriter;
import io.dentryguard.operator.apply.NodeReader;
import io.dentryguard.operator.apply.NodeWriter;
import io.dentryguard.operator.decide.Decision;
import io.dentryguard.operator.decide.NodeDecision;
import io.dentryguard.operator.decide.Policy;
import io.dentryguard.operator.decide.Situation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;

/**
 * One NodeHealth at a time: read the Node, decide (a pure function), apply only the differences,
 * record what was done in the NodeHealth status. Decides again periodically, so that stale reports
 * and hold-downs are noticed without a change to trigger it.
 */
@ControllerConfiguration(name = "nodehealth")
public class NodeHealthReconciler implements Reconciler<NodeHealth> {
    private static final int KEPT_ACTIONS = 20;

    private final KubernetesClient client;
    private final Policy policy;
    private final Clock clock;
    private final Duration resync;

    public NodeHealthReconciler(KubernetesClient client, Policy policy, Clock clock, Duration resync) {
        this.client = client;
        this.policy = policy;
        this.clock = clock;
        this.resync = resync;
    }

    @Override
    public UpdateControl<NodeHealth> reconcile(NodeHealth cached, Context<NodeHealth> context) {
        Instant now = clock.instant();
        // Read afresh: the informer's copy can lag the operator's own last status patch, and deciding
        // on it would write the same fields again at every resync.
        NodeHealth nh = client.resources(NodeHealth.class).withName(cached.getMetadata().getName()).get();
        if (nh == null) {
            return UpdateControl.noUpdate();
        }
        Node node = client.nodes().withName(nh.getMetadata().getName()).get();
        if (node == null) {
            // The Node is gone; its NodeHealth follows through the owner reference.
            return UpdateControl.<NodeHealth>noUpdate().rescheduleAfter(resync);
        }
        List<Node> all = client.nodes().list().getItems();
        int tainted = (int) all.stream().filter(n -> NodeReader.ourTaint(n).isPresent()).count();
        Situation situation = NodeReader.situation(nh, node, all.size(), tainted);
        Decision decision = NodeDecision.decide(situation, policy, now);
        NodeWriter.apply(client, node, situation, decision);
        for (Decision.Event e : decision.events()) {
            EventWriter.emit(client, node, nh, e, now);
        }
        Duration next = decision.requeueAfter().filter(d -> d.compareTo(resync) < 0).orElse(resync);
        if (recordInStatus(nh, decision, now)) {
            patchOwnStatusFields(nh);
        }
        return UpdateControl.<NodeHealth>noUpdate().rescheduleAfter(next);
    }

    /**
     * A JSON merge patch of the operator's fields only: the probe writes the rest of the status at
     * any time, and replacing the whole status from a cached copy would undo its latest report
     * (which is what UpdateControl.patchStatus did here: the verdict vanished in a test).
     */
    private void patchOwnStatusFields(NodeHealth nh) {
        NodeHealthStatus s = nh.getStatus();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("tainted", s.getTainted());
        fields.put("healthySince", s.getHealthySince());
        fields.put("skipReason", s.getSkipReason());
        fields.put("intendedActions", s.getIntendedActions());
        fields.put("conditions", s.getConditions());
        String patch = Serialization.asJson(Map.of("status", fields));
        client.resources(NodeHealth.class).withName(nh.getMetadata().getName()).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    /** Writes the operator's own status fields; returns whether any changed. */
    private static boolean recordInStatus(NodeHealth nh, Decision d, Instant now) {
        if (nh.getStatus() == null) {
            nh.setStatus(new NodeHealthStatus());
        }
        NodeHealthStatus s = nh.getStatus();
        boolean changed = false;
        Boolean tainted = d.taint().isPresent();
        if (!tainted.equals(s.getTainted())) {
            s.setTainted(tainted);
            changed = true;
        }
        String healthySince = d.healthySince() == null ? null : d.healthySince().toString();
        if (!Objects.equals(healthySince, s.getHealthySince())) {
            s.setHealthySince(healthySince);
            changed = true;
        }
        if (!Objects.equals(d.skipReason(), s.getSkipReason())) {
            s.setSkipReason(d.skipReason());
            changed = true;
        }
        if (!d.intendedActions().isEmpty()) {
            List<String> actions = new ArrayList<>(s.getIntendedActions());
            d.intendedActions().forEach(a -> actions.add(now + " " + a));
            while (actions.size() > KEPT_ACTIONS) {
                actions.remove(0);
            }
            s.setIntendedActions(actions);
            changed = true;
        }
        if (d.condition().isPresent()) {
            Situation.NodeCondition c = d.condition().get();
            Condition desired = new ConditionBuilder().withType(NodeDecision.CONDITION_TYPE).withStatus(c.status())
                    .withReason(c.reason()).withMessage(c.message()).withLastTransitionTime(c.lastTransitionTime().toString())
                    .withObservedGeneration(nh.getMetadata().getGeneration()).build();
            Condition existing = s.getConditions().stream().filter(x -> NodeDecision.CONDITION_TYPE.equals(x.getType()))
                    .findFirst().orElse(null);
            // observedGeneration alone does not make a change: the mock API server bumps the
            // generation on status writes, which would make every write cause the next.
            boolean same = existing != null && Objects.equals(existing.getStatus(), desired.getStatus())
                    && Objects.equals(existing.getReason(), desired.getReason())
                    && Objects.equals(existing.getMessage(), desired.getMessage())
                    && Objects.equals(existing.getLastTransitionTime(), desired.getLastTransitionTime());
            if (!same) {
                List<Condition> conditions = new ArrayList<>(s.getConditions());
                conditions.removeIf(x -> NodeDecision.CONDITION_TYPE.equals(x.getType()));
                conditions.add(desired);
                s.setConditions(conditions);
                changed = true;
            }
        }
        return changed;
    }
}
