package io.dentryguard.operator.apply;

import io.dentryguard.api.patch.JsonPatch;
import io.dentryguard.api.patch.StatusFieldsPatch;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.operator.decide.NodeDecision;
import io.dentryguard.operator.decide.NodeHealthFields;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes the operator's own NodeHealth status fields with a JSON patch of just those fields that
 * differ. Replacing the whole status (what JOSDK's UpdateControl.patchStatus does from its cached
 * copy) erased the probe's latest verdict in a test.
 */
public final class StatusWriter {
    private static final String CONDITIONS = "conditions";
    private final KubernetesClient client;

    public StatusWriter(KubernetesClient client) {
        this.client = client;
    }

    /** @return whether a patch was sent */
    public boolean write(NodeHealth nh, NodeHealthFields have, NodeHealthFields want) {
        String name = nh.getMetadata().getName();
        if (!StatusFieldsPatch.exists(nh)) {
            StatusFieldsPatch.create(client, name, fields(want));
            return true;
        }
        Map<String, Object> before = fields(have);
        JsonPatch patch = new JsonPatch();
        fields(want).forEach((field, value) -> {
            if (Objects.equals(before.get(field), value)) {
                return;
            }
            if (field.equals(CONDITIONS)) {
                // Only the operator's element: another writer's conditions in the same list stay.
                Condition ours = want.conditions().stream().filter(c -> NodeDecision.CONDITION_TYPE.equals(c.getType())).findFirst()
                        .orElseThrow();
                List<String> typesNow = nh.getStatus().getConditions() == null ? List.of()
                        : nh.getStatus().getConditions().stream().map(c -> c == null ? null : c.getType()).toList();
                ConditionElement.put(patch, "/status/" + CONDITIONS, typesNow, nh.getMetadata().getResourceVersion(), ours);
            } else if (value != null) {
                patch.add("/status/" + field, value);
            } else {
                patch.remove("/status/" + field);
            }
        });
        if (patch.isEmpty()) {
            return false;
        }
        StatusFieldsPatch.send(client, name, patch);
        return true;
    }

    static Map<String, Object> fields(NodeHealthFields s) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("tainted", s.tainted());
        fields.put("healthySince", s.healthySince());
        fields.put("skipReason", s.skipReason());
        fields.put("intendedActions", s.intendedActions());
        fields.put(CONDITIONS, s.conditions());
        return fields;
    }
}
