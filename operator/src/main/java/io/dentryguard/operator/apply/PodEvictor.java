package io.dentryguard.operator.apply;

import io.dentryguard.operator.decide.remediation.PodFacts;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.List;

/**
 * Evicts an offender pod through the Eviction API, so that PodDisruptionBudgets are respected;
 * never deletes it. A budget's refusal (429) is an answer, not an error: the ladder records it and
 * tries again later. In dry-run the API server checks the eviction (budgets included) without
 * evicting, so dry-run records what would really have happened.
 */
public final class PodEvictor {
    public enum Result {
        EVICTED,
        /** 429: a PodDisruptionBudget allows no disruption now. */
        REFUSED_BY_BUDGET,
        /** 404: the pod is gone already. */
        GONE
    }

    private final KubernetesClient client;

    public PodEvictor(KubernetesClient client) {
        this.client = client;
    }

    public Result evict(PodFacts pod, boolean dryRun) {
        try {
            Eviction eviction = new EvictionBuilder().withNewMetadata().withNamespace(pod.namespace()).withName(pod.name()).endMetadata()
                    // Only the pod the guard rails judged: a pod recreated under the same name (a StatefulSet's) is another.
                    .withDeleteOptions(new DeleteOptionsBuilder().withDryRun(dryRun ? List.of("All") : List.of())
                            .withNewPreconditions().withUid(pod.uid()).endPreconditions().build()).build();
            boolean evicted = client.pods().inNamespace(pod.namespace()).withName(pod.name()).evict(eviction);
            return evicted ? Result.EVICTED : Result.REFUSED_BY_BUDGET;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return Result.GONE;
            }
            throw e;
        }
    }
}
