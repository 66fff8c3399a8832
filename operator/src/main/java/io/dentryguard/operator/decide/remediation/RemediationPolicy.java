package io.dentryguard.operator.decide.remediation;

import io.dentryguard.api.v1alpha1.OffenderStatus.Confidence;
import io.dentryguard.api.v1alpha1.Verdict;
import java.time.Duration;
import java.util.Set;

/**
 * The settings of the remediation ladder (docs/remediation.md): which rungs are on, and the guard
 * rails around eviction.
 *
 * @param reclaimPods           rung 1: ask the probe to reclaim the offender pod's memory cgroup
 * @param evictRepeatOffenders  rung 2: evict a pod that floods again after a reclaim
 * @param reclaimNode           rung 3: node-wide reclaim when the node has not recovered (off by default)
 * @param reclaimFrom           the verdict from which an offender's pod is reclaimed in place when the node is not yet on the ladder (once on it, a pod
 *                              that floods again is reclaimed at Warning too, until the node is Healthy): Warning (the default:
 *                              the reclaim costs the offender only its own cache, and an early one keeps the flood
 *                              small) or Degraded. Eviction waits for Degraded; node-wide reclaim too, except after an eviction that did not heal the node.
 * @param minConfidence         act on an offender only at this confidence or surer
 * @param excludedNamespaces    pods never evicted
 * @param protectedPriority     pods at or above this priority are never evicted (system-cluster-critical: 2000000000)
 * @param workloadCooldown      a workload's pods are not evicted again within this time
 * @param maxEvictionsPerNodePerHour   eviction rate limit per node
 * @param maxEvictionsPerHour          eviction rate limit for the whole cluster
 */
public record RemediationPolicy(boolean reclaimPods, boolean evictRepeatOffenders, boolean reclaimNode, Verdict reclaimFrom,
                                Confidence minConfidence,
                                Set<String> excludedNamespaces, int protectedPriority, Duration workloadCooldown,
                                int maxEvictionsPerNodePerHour, int maxEvictionsPerHour) {
    /** The annotation that keeps a pod from ever being evicted by dentry-guard, with the value "true". */
    public static final String PROTECTED_ANNOTATION = "dentryguard.io/protected";
    /** The priority of the system-cluster-critical class. */
    public static final int SYSTEM_CLUSTER_CRITICAL = 2_000_000_000;

    public RemediationPolicy {
        excludedNamespaces = Set.copyOf(excludedNamespaces);
        if (reclaimFrom != Verdict.WARNING && reclaimFrom != Verdict.DEGRADED) {
            throw new IllegalArgumentException("the pod reclaim starts at Warning or Degraded, not " + reclaimFrom);
        }
        if (workloadCooldown.isNegative() || maxEvictionsPerNodePerHour < 0 || maxEvictionsPerHour < 0) {
            throw new IllegalArgumentException("invalid remediation policy");
        }
    }

    /** No rung on: the operator taints and nothing more. */
    public static RemediationPolicy off() {
        return new RemediationPolicy(false, false, false, Verdict.WARNING, Confidence.HIGH, Set.of("kube-system"), SYSTEM_CLUSTER_CRITICAL,
                Duration.ofHours(1), 1, 10);
    }

    public boolean anyRungOn() {
        return reclaimPods || evictRepeatOffenders || reclaimNode;
    }

    public static RemediationPolicy defaults() {
        return new RemediationPolicy(true, true, false, Verdict.WARNING, Confidence.HIGH, Set.of("kube-system"), SYSTEM_CLUSTER_CRITICAL,
                Duration.ofHours(1), 1, 10);
    }
}
