package io.dentryguard.api.patch;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.EditReplacePatchable;
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
        if (!statusExists) {
            return create(client, name, set);
        }
        JsonPatch patch = new JsonPatch();
        set.forEach((field, value) -> patch.add("/status/" + field, value));
        remove.forEach(field -> patch.remove("/status/" + field));
        return send(client, name, patch);
    }

    /** Creates the status (or replaces one that is not an object) with these fields, by a merge patch. */
    public static NodeHealth create(KubernetesClient client, String name, Map<String, Object> set) {
        Map<String, Object> fields = new LinkedHashMap<>(set);
        fields.values().removeIf(Objects::isNull);
        return status(client, name).patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", fields)));
    }

    /** Sends a JSON patch of the status (its paths start with /status). */
    public static NodeHealth send(KubernetesClient client, String name, JsonPatch patch) {
        return status(client, name).patch(PatchContext.of(PatchType.JSON), patch.toString());
    }

    private static EditReplacePatchable<NodeHealth> status(KubernetesClient client, String name) {
        // Through an object, not withName(name): fabric8 7.5 reads an object before patching it by name.
        NodeHealth target = new NodeHealth();
        target.getMetadata().setName(name);
        return client.resources(NodeHealth.class).resource(target).subresource("status");
    }

    /** Whether a JSON patch can address fields of this status: it is there and is an object. */
    public static boolean exists(NodeHealth nh) {
        return nh.getStatus() != null && !nh.getStatus().notAnObject();
    }
}
