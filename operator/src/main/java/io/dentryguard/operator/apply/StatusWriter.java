package io.dentryguard.operator.apply;

import io.dentryguard.api.patch.StatusFieldsPatch;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.operator.decide.NodeHealthFields;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes the operator's own NodeHealth status fields with a JSON patch of just those fields that
 * differ. Replacing the whole status (what JOSDK's UpdateControl.patchStatus does from its cached
 * copy) erased the probe's latest verdict in a test.
 */
public final class StatusWriter {
    private final KubernetesClient client;

    public StatusWriter(KubernetesClient client) {
        this.client = client;
    }

    /** @return whether a patch was sent */
    public boolean write(NodeHealth nh, NodeHealthFields have, NodeHealthFields want) {
        Map<String, Object> before = fields(have);
        Map<String, Object> set = new LinkedHashMap<>();
        Set<String> remove = new LinkedHashSet<>();
        fields(want).forEach((field, value) -> {
            if (nh.getStatus() == null || !Objects.equals(before.get(field), value)) {
                if (value != null) {
                    set.put(field, value);
                } else if (before.get(field) != null) {
                    remove.add(field);
                }
            }
        });
        if (set.isEmpty() && remove.isEmpty()) {
            return false;
        }
        StatusFieldsPatch.write(client, nh.getMetadata().getName(), set, remove, nh.getStatus() != null);
        return true;
    }

    private static Map<String, Object> fields(NodeHealthFields s) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("tainted", s.tainted());
        fields.put("healthySince", s.healthySince());
        fields.put("skipReason", s.skipReason());
        fields.put("intendedActions", s.intendedActions());
        fields.put("conditions", s.conditions());
        return fields;
    }
}
