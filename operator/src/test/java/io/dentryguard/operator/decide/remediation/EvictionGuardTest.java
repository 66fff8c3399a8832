package io.dentryguard.operator.decide.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.v1alpha1.OffenderStatus.Confidence;
import io.dentryguard.api.v1alpha1.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every guard rail on its own: a pod that passes all of them, changed in one way, is refused with
 * that rail's reason. Removing a rail makes its case evictable and its test fail.
 */
class EvictionGuardTest {
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final RemediationPolicy POLICY = RemediationPolicy.defaults();
    private static final PodFacts FLOODER = new PodFacts("shop", "trasher-7d9-x2", "uid-1", "ReplicaSet", "Deployment shop/trasher",
            0, Map.of());

    private static PodFacts with(String ownerKind, String namespace, Integer priority, Map<String, String> annotations) {
        return new PodFacts(namespace, FLOODER.name(), FLOODER.uid(), ownerKind, FLOODER.workload(), priority, annotations);
    }

    @Test
    void aHighOffenderOfAnOrdinaryWorkloadMayBeEvicted() {
        assertThat(EvictionGuard.refusal(FLOODER, Confidence.HIGH, POLICY, EvictionGuard.History.none(), NOW)).isEmpty();
    }

    static Stream<Arguments> rails() {
        Instant tenMinutesAgo = NOW.minus(Duration.ofMinutes(10));
        EvictionGuard.History none = EvictionGuard.History.none();
        return Stream.of(
                Arguments.of("eviction off", FLOODER, Confidence.HIGH,
                        new RemediationPolicy(true, false, false, Verdict.WARNING, Confidence.HIGH, Set.of("kube-system"), 2_000_000_000, Duration.ofHours(1), 1, 10),
                        none, "eviction is off"),
                Arguments.of("only Medium", FLOODER, Confidence.MEDIUM, POLICY, none, "the probe is Medium, not High"),
                Arguments.of("no confidence", FLOODER, null, POLICY, none, "the probe is not sure"),
                Arguments.of("a DaemonSet pod", with("DaemonSet", "shop", 0, Map.of()), Confidence.HIGH, POLICY, none, "belongs to a DaemonSet"),
                Arguments.of("a mirror pod", with("ReplicaSet", "shop", 0, Map.of("kubernetes.io/config.mirror", "abc")), Confidence.HIGH, POLICY,
                        none, "is a static pod"),
                Arguments.of("a static pod owned by its Node", with("Node", "shop", 0, Map.of()), Confidence.HIGH, POLICY, none,
                        "is a static pod"),
                Arguments.of("kube-system", with("ReplicaSet", "kube-system", 0, Map.of()), Confidence.HIGH, POLICY, none,
                        "namespace kube-system is excluded"),
                Arguments.of("protected by annotation", with("ReplicaSet", "shop", 0, Map.of("dentryguard.io/protected", "true")),
                        Confidence.HIGH, POLICY, none, "is annotated dentryguard.io/protected=true"),
                Arguments.of("system-cluster-critical", with("ReplicaSet", "shop", 2_000_000_000, Map.of()), Confidence.HIGH, POLICY, none,
                        "has priority 2000000000"),
                Arguments.of("workload in its cooldown", FLOODER, Confidence.HIGH, POLICY,
                        new EvictionGuard.History(Map.of("Deployment shop/trasher", tenMinutesAgo), List.of(), List.of()),
                        "within its cooldown of 60 min: a repeat offender"),
                Arguments.of("node rate limit", FLOODER, Confidence.HIGH, POLICY,
                        new EvictionGuard.History(Map.of(), List.of(tenMinutesAgo), List.of(tenMinutesAgo)), "on this node in the last hour"),
                Arguments.of("cluster rate limit", FLOODER, Confidence.HIGH, POLICY,
                        new EvictionGuard.History(Map.of(), List.of(), java.util.Collections.nCopies(10, tenMinutesAgo)),
                        "in the cluster in the last hour"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rails")
    void eachRailHolds(String rail, PodFacts pod, Confidence confidence, RemediationPolicy policy, EvictionGuard.History history,
                       String reason) {
        assertThat(EvictionGuard.refusal(pod, confidence, policy, history, NOW)).hasValueSatisfying(r -> assertThat(r).contains(reason));
    }

    @Test
    void cooldownsAndLimitsLapse() {
        Instant twoHoursAgo = NOW.minus(Duration.ofHours(2));
        EvictionGuard.History old = new EvictionGuard.History(Map.of("Deployment shop/trasher", twoHoursAgo), List.of(twoHoursAgo),
                java.util.Collections.nCopies(10, twoHoursAgo));
        assertThat(EvictionGuard.refusal(FLOODER, Confidence.HIGH, POLICY, old, NOW)).isEmpty();
    }

    @Test
    void aProtectedAnnotationOtherThanTrueProtectsNothing() {
        assertThat(EvictionGuard.refusal(with("ReplicaSet", "shop", 0, Map.of("dentryguard.io/protected", "false")), Confidence.HIGH,
                POLICY, EvictionGuard.History.none(), NOW)).isEmpty();
    }

    @Test
    void aPriorityJustBelowTheThresholdIsNoProtection() {
        assertThat(EvictionGuard.refusal(with("ReplicaSet", "shop", 1_999_999_999, Map.of()), Confidence.HIGH, POLICY,
                EvictionGuard.History.none(), NOW)).isEmpty();
    }
}
