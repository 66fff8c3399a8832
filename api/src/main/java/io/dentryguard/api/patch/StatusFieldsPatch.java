package io.dentryguard.api.patch;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes some fields of a NodeHealth's status and no others. The probe and the operator share one
 * status, each owning its own fields; replacing the whole status (a PUT, JOSDK's patchStatus) would
 * undo the other side's latest write.
 */
public final class StatusFieldsPatch {
    private StatusFieldsPatch() {}

    /**
     * @param set          fields to set (a null value is written as null)
     * @param remove       fields to remove; only name fields that are there
     * @param statusExists whether the object has a status at all: if not, a merge patch creates it,
     *                     because a JSON patch could only create {@code /status} whole and would
     *                     erase what the other side wrote since the read
     * @return the NodeHealth as stored afterwards
     */
    public static NodeHealth write(KubernetesClient client, String name, Map<String, Object> set, Set<String> remove,
                                   boolean statusExists) {
        // Through an object, not withName(name): fabric8 7.5 reads an object before patching it by name.
        NodeHealth target = new NodeHealth();
        target.getMetadata().setName(name);
        var status = client.resources(NodeHealth.class).resource(target).subresource("status");
        if (!statusExists) {
            Map<String, Object> fields = new LinkedHashMap<>(set);
            fields.values().removeIf(Objects::isNull);
            return status.patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", fields)));
        }
        JsonPatch patch = new JsonPatch();
        set.forEach((field, value) -> patch.add("/status/" + field, value));
        remove.forEach(field -> patch.remove("/status/" + field));
        return status.patch(PatchContext.of(PatchType.JSON), patch.toString());
    }
}
