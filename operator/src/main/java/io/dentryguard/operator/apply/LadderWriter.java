package io.dentryguard.operator.apply;

import io.dentryguard.api.patch.StatusFieldsPatch;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.ReclaimRequest;
import io.dentryguard.api.v1alpha1.RemediationStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Writes the ladder's requests to the probe (spec.reclaim) and the operator's status.remediation. */
public final class LadderWriter {
    /** The operator's status field this writer owns, beside StatusWriter's. */
    public static final String STATUS_FIELD = "remediation";
    private final KubernetesClient client;

    public LadderWriter(KubernetesClient client) {
        this.client = client;
    }

    /** spec.reclaim by a merge patch of that field alone: spec.paused is a person's. */
    public void request(String node, ReclaimRequest request) {
        NodeHealth target = new NodeHealth();
        target.getMetadata().setName(node);
        client.resources(NodeHealth.class).resource(target).patch(PatchContext.of(PatchType.JSON_MERGE),
                Serialization.asJson(Map.of("spec", Map.of("reclaim", request))));
    }

    /** @return whether anything was written: nothing when status.remediation already reads as {@code want} */
    public boolean status(NodeHealth nh, RemediationStatus want) {
        RemediationStatus have = nh.getStatus() == null ? null : nh.getStatus().getRemediation();
        if (Objects.equals(json(have), json(want))) {
            return false;
        }
        String name = nh.getMetadata().getName();
        if (want == null) {
            StatusFieldsPatch.write(client, name, Map.of(), Set.of(STATUS_FIELD), true);
        } else {
            StatusFieldsPatch.write(client, name, Map.of(STATUS_FIELD, want), Set.of(), StatusFieldsPatch.exists(nh));
        }
        return true;
    }

    private static String json(RemediationStatus r) {
        return r == null ? null : Serialization.asJson(r);
    }
}
