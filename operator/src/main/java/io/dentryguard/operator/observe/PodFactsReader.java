package io.dentryguard.operator.observe;

import io.dentryguard.operator.decide.remediation.PodFacts;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The guard rails' facts of an offender pod, from the pod as the API has it and, for a pod of a
 * ReplicaSet, that ReplicaSet (to count a Deployment's pods as one workload: its ReplicaSets change
 * with every rollout).
 */
public final class PodFactsReader {
    private PodFactsReader() {}

    /**
     * @param replicaSet looks up a ReplicaSet by namespace and name; empty when it is gone
     */
    public static PodFacts facts(Pod pod, BiFunction<String, String, Optional<? extends HasMetadata>> replicaSet) {
        String ns = pod.getMetadata().getNamespace();
        String ownerKind = controller(pod).map(OwnerReference::getKind).orElse(null);
        String workload = workloadOwner(pod, replicaSet).map(o -> o.getKind() + " " + ns + "/" + o.getName())
                .orElse("Pod " + ns + "/" + pod.getMetadata().getName());
        Integer priority = pod.getSpec() == null ? null : pod.getSpec().getPriority();
        return new PodFacts(ns, pod.getMetadata().getName(), pod.getMetadata().getUid(), ownerKind, workload, priority,
                pod.getMetadata().getAnnotations());
    }

    /** The workload a pod's evictions count against: its controller, or for a ReplicaSet's pod that ReplicaSet's controller. */
    public static Optional<OwnerReference> workloadOwner(Pod pod, BiFunction<String, String, Optional<? extends HasMetadata>> replicaSet) {
        Optional<OwnerReference> owner = controller(pod);
        if (owner.isPresent() && "ReplicaSet".equals(owner.get().getKind())) {
            Optional<OwnerReference> deployment = replicaSet.apply(pod.getMetadata().getNamespace(), owner.get().getName())
                    .flatMap(PodFactsReader::controller);
            if (deployment.isPresent()) {
                return deployment;
            }
        }
        return owner;
    }

    private static Optional<OwnerReference> controller(HasMetadata object) {
        return object.getMetadata().getOwnerReferences() == null ? Optional.empty()
                : object.getMetadata().getOwnerReferences().stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst();
    }
}
