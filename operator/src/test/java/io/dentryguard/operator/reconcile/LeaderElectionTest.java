package io.dentryguard.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dentryguard.api.testing.MockApiServer;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.decide.Policy;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two replicas on one Lease: only the leader acts, and the other takes over when it goes. */
class LeaderElectionTest {
    private static final Duration WAIT = Duration.ofSeconds(40);

    private final MockApiServer mock = new MockApiServer();
    private final TestCluster cluster = new TestCluster(mock);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
    private Operator a;
    private Operator b;

    private Operator replica(String identity, CountingReconciler reconciler) {
        // Shorter lease times than the 15 s default, but with room: a leader that cannot renew within
        // 8 s (a GC pause or a starved CPU on a busy CI runner) would lose the Lease and let the follower
        // act. Not exiting on lost leadership, since that would end the test JVM (the real operator
        // exits and is restarted by its Deployment).
        LeaderElectionConfiguration election = new LeaderElectionConfiguration("dentry-guard-operator", "dentry-guard",
                Duration.ofSeconds(10), Duration.ofSeconds(8), Duration.ofMillis(500), identity, null, false);
        Operator operator = OperatorFactory.create(cluster.client, reconciler, Optional.of(election), new SimpleMeterRegistry());
        operator.start();
        return operator;
    }

    private Optional<String> holder() {
        Lease lease = cluster.client.leases().inNamespace("dentry-guard").withName("dentry-guard-operator").get();
        return Optional.ofNullable(lease).map(l -> l.getSpec().getHolderIdentity());
    }

    @AfterEach
    void stop() {
        for (Operator o : new Operator[] {a, b}) {
            if (o != null) {
                o.stop();
            }
        }
        cluster.close();
    }

    @Test
    void onlyTheLeaderActsAndTheOtherTakesOver() {
        // JOSDK checks that it may use Leases before it starts; the mock has no authorizer, so answer
        // the review as an API server would for the chart's Role.
        mock.server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\","
                        + "\"spec\":{\"namespace\":\"dentry-guard\"},\"status\":{\"incomplete\":false,\"nonResourceRules\":[],"
                        + "\"resourceRules\":[{\"apiGroups\":[\"coordination.k8s.io\"],\"resources\":[\"leases\"],"
                        + "\"verbs\":[\"get\",\"create\",\"update\"]}]}}")
                .always();
        cluster.node("node-a");
        var first = new CountingReconciler(cluster.client, Policy.defaults(), clock, Duration.ofMillis(300),
                new SimpleMeterRegistry());
        var second = new CountingReconciler(cluster.client, Policy.defaults(), clock, Duration.ofMillis(300),
                new SimpleMeterRegistry());
        a = replica("replica-a", first);
        await().atMost(WAIT).until(() -> holder().equals(Optional.of("replica-a")));
        b = replica("replica-b", second);

        cluster.report("node-a", Verdict.DEGRADED, clock.instant());
        await().atMost(WAIT).until(() -> cluster.ourTaint("node-a").isPresent());
        await().atMost(WAIT).until(() -> first.reconciles.get() > 3);
        assertThat(second.reconciles.get()).as("the follower does not reconcile").isZero();

        a.stop();
        a = null;
        await().atMost(WAIT).until(() -> holder().equals(Optional.of("replica-b")));
        clock.advance(Duration.ofMinutes(1));
        cluster.report("node-a", Verdict.HEALTHY, clock.instant());
        await().atMost(WAIT).until(() -> second.reconciles.get() > 0);
        clock.advance(Duration.ofMinutes(5));
        await().atMost(WAIT).until(() -> cluster.ourTaint("node-a").isEmpty());
    }
}
