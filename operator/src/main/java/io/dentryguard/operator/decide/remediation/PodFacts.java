package io.dentryguard.operator.decide.remediation;

import java.util.Map;

/**
 * What the guard rails need to know of an offender pod, read from the API by the observing step.
 *
 * @param ownerKind  the kind of its controller (ReplicaSet, StatefulSet, DaemonSet, Job, Node for a
 *                   static pod), null for a bare pod
 * @param workload   the workload its evictions are counted against, e.g. "Deployment shop/web" (the
 *                   ReplicaSet's owner), or the pod itself when it has no controller
 * @param priority   its spec.priority, null when unset (0)
 */
public record PodFacts(String namespace, String name, String uid, String ownerKind, String workload, Integer priority,
                       Map<String, String> annotations) {
    /** The kubelet's annotation on the API's copy of a static pod. */
    static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

    public PodFacts {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public String displayName() {
        return namespace + "/" + name;
    }

    boolean isMirrorOrStatic() {
        return annotations.containsKey(MIRROR_ANNOTATION) || "Node".equals(ownerKind);
    }
}
