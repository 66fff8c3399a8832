package io.dentryguard.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dentryguard.api.testing.RealApiServer;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.decide.Policy;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas on one Lease of a real API server: only the leader acts, and the other takes over when it goes. */
class LeaderElectionTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String LEASE_NAMESPACE = "dentry-guard";

    private static TestCluster cluster;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
    private Operator a;
    private Operator b;

    @BeforeAll
    static void startTheApiServer() {
        cluster = new TestCluster(RealApiServer.start());
        // A real server keeps a Lease only in a namespace that exists (the mock kept it anywhere).
        cluster.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(LEASE_NAMESPACE).endMetadata().build())
                .create();
    }

    @AfterAll
    static void stopTheApiServer() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void startOnAnEmptyCluster() {
        cluster.reset();
        cluster.client.leases().inNamespace(LEASE_NAMESPACE).delete();
    }

    private Operator replica(String identity, CountingReconciler reconciler) {
        // Shorter lease times than the 15 s default, but with room: a leader that cannot renew within
        // 8 s (a GC pause or a starved CPU on a busy CI runner) would lose the Lease and let the follower
        // act. Not exiting on lost leadership, since that would end the test JVM (the real operator
        // exits and is restarted by its Deployment).
        LeaderElectionConfiguration election = new LeaderElectionConfiguration("dentry-guard-operator", LEASE_NAMESPACE,
                Duration.ofSeconds(10), Duration.ofSeconds(8), Duration.ofMillis(500), identity, null, false);
        Operator operator = OperatorFactory.create(cluster.client, reconciler, Optional.of(election), new SimpleMeterRegistry());
        operator.start();
        return operator;
    }

    private CountingReconciler reconciler() {
        return new CountingReconciler(cluster.client, Policy.defaults(), clock, Duration.ofMillis(300), new SimpleMeterRegistry());
    }

    private Optional<String> holder() {
        Lease lease = cluster.client.leases().inNamespace(LEASE_NAMESPACE).withName("dentry-guard-operator").get();
        return Optional.ofNullable(lease).map(l -> l.getSpec().getHolderIdentity());
    }

    @AfterEach
    void stop() {
        for (Operator o : new Operator[] {a, b}) {
            if (o != null) {
                o.stop();
            }
        }
    }

    @Test
    void onlyTheLeaderActsAndTheOtherTakesOver() {
        // JOSDK checks with a SelfSubjectRulesReview that it may use Leases before it starts: the real
        // server answers it for the administrator the test runs as.
        cluster.node("node-a");
        CountingReconciler first = reconciler();
        CountingReconciler second = reconciler();
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
