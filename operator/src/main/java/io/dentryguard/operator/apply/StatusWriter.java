package io.dentryguard.operator.apply;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

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
    public boolean write(NodeHealth nh, OperatorStatus have, OperatorStatus want) {
        Map<String, Object> fields = fields(want);
        Map<String, Object> before = fields(have);
        // resource(nh), not withName(name): fabric8 7.5 reads the object before patching it by name.
        var status = client.resources(NodeHealth.class).resource(nh).subresource("status");
        if (nh.getStatus() == null) {
            // A JSON patch can only create the status whole, and would erase a report the probe wrote
            // since the read. A merge patch adds to it instead; the lists in it are the operator's
            // alone, so no existing list is merged into.
            fields.values().removeIf(Objects::isNull);
            status.patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", fields)));
            return true;
        }
        JsonPatch patch = new JsonPatch();
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            if (Objects.equals(before.get(f.getKey()), f.getValue())) {
                continue;
            }
            if (f.getValue() == null) {
                patch.remove("/status/" + f.getKey());
            } else {
                patch.add("/status/" + f.getKey(), f.getValue());
            }
        }
        if (patch.isEmpty()) {
            return false;
        }
        status.patch(PatchContext.of(PatchType.JSON), patch.toString());
        return true;
    }

    private static Map<String, Object> fields(OperatorStatus s) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("tainted", s.tainted());
        fields.put("healthySince", s.healthySince());
        fields.put("skipReason", s.skipReason());
        fields.put("intendedActions", s.intendedActions());
        fields.put("conditions", s.conditions());
        return fields;
    }
}
