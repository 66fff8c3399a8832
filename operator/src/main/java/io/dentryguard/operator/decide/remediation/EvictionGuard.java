package io.dentryguard.operator.decide.remediation;

import io.dentryguard.api.v1alpha1.OffenderStatus.Confidence;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The guard rails around evicting an offender pod, as a pure function: the first rail that holds
 * says why not. Each rail has a test that fails when the rail is removed (EvictionGuardTest).
 */
public final class EvictionGuard {
    private EvictionGuard() {}

    /**
     * What the operator has evicted lately, for the cooldowns and rate limits.
     *
     * @param workloadEvictedAt when each workload last had a pod evicted
     * @param nodeEvictions     evictions on this node, newest last
     * @param allEvictions      evictions in the whole cluster, newest last
     */
    public record History(Map<String, Instant> workloadEvictedAt, List<Instant> nodeEvictions, List<Instant> allEvictions) {
        public History {
            workloadEvictedAt = Map.copyOf(workloadEvictedAt);
            nodeEvictions = List.copyOf(nodeEvictions);
            allEvictions = List.copyOf(allEvictions);
        }

        public static History none() {
            return new History(Map.of(), List.of(), List.of());
        }
    }

    /** Why {@code pod} must not be evicted now, or empty when it may. */
    public static Optional<String> refusal(PodFacts pod, Confidence confidence, RemediationPolicy policy, History history, Instant now) {
        if (!policy.evictRepeatOffenders()) {
            return Optional.of("eviction is off (remediation.evict=false)");
        }
        if (confidence == null || confidence.strength() < policy.minConfidence().strength()) {
            return Optional.of("the probe is " + (confidence == null ? "not sure" : confidence.displayName()) + ", not "
                    + policy.minConfidence().displayName() + ", that " + pod.displayName() + " is the cause");
        }
        if ("DaemonSet".equals(pod.ownerKind())) {
            return Optional.of(pod.displayName() + " belongs to a DaemonSet: its replacement would run on this node again");
        }
        if (pod.isMirrorOrStatic()) {
            return Optional.of(pod.displayName() + " is a static pod: the kubelet runs it from a file, the API cannot evict it");
        }
        if (policy.excludedNamespaces().contains(pod.namespace())) {
            return Optional.of("namespace " + pod.namespace() + " is excluded from eviction");
        }
        if ("true".equals(pod.annotations().get(RemediationPolicy.PROTECTED_ANNOTATION))) {
            return Optional.of(pod.displayName() + " is annotated " + RemediationPolicy.PROTECTED_ANNOTATION + "=true");
        }
        int priority = pod.priority() == null ? 0 : pod.priority();
        if (priority >= policy.protectedPriority()) {
            return Optional.of(pod.displayName() + " has priority " + priority + ", at or above " + policy.protectedPriority());
        }
        Instant last = history.workloadEvictedAt().get(pod.workload());
        if (last != null && Duration.between(last, now).compareTo(policy.workloadCooldown()) < 0) {
            return Optional.of(pod.workload() + " had a pod evicted at " + last + ", within its cooldown of "
                    + policy.workloadCooldown().toMinutes() + " min: a repeat offender");
        }
        Instant hourAgo = now.minus(Duration.ofHours(1));
        long onNode = history.nodeEvictions().stream().filter(t -> t.isAfter(hourAgo)).count();
        if (onNode >= policy.maxEvictionsPerNodePerHour()) {
            return Optional.of(onNode + " eviction(s) on this node in the last hour, the limit is " + policy.maxEvictionsPerNodePerHour());
        }
        long all = history.allEvictions().stream().filter(t -> t.isAfter(hourAgo)).count();
        if (all >= policy.maxEvictionsPerHour()) {
            return Optional.of(all + " eviction(s) in the cluster in the last hour, the limit is " + policy.maxEvictionsPerHour());
        }
        return Optional.empty();
    }
}
