package io.dentryguard.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.decide.Policy;
import io.dentryguard.operator.decide.remediation.LadderTimings;
import io.dentryguard.operator.decide.remediation.RemediationPolicy;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The reconciler run by JOSDK on one API server per test class: each test starts on an empty cluster with an operator of its own,
 * a clock moved by hand and its reconciles counted, to wait on instead of sleeping.
 */
abstract class ReconcilerOnClusterTest {
    static final Duration QUICK_RESYNC = Duration.ofMillis(300);
    static final Duration WAIT = Duration.ofSeconds(20);

    final TestCluster cluster;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Operator operator;
    CountingReconciler reconciler;

    /** @param cluster the test class's own, started in its {@code @BeforeAll} */
    ReconcilerOnClusterTest(TestCluster cluster) {
        this.cluster = cluster;
    }

    @BeforeEach
    void startOnAnEmptyCluster() {
        cluster.reset();
    }

    @AfterEach
    void stopTheOperator() {
        if (operator != null) {
            operator.stop();
        }
    }

    void startOperator(Policy policy, Duration resync) {
        start(new CountingReconciler(cluster.client, policy, clock, resync, registry));
    }

    void startOperator(Policy policy, RemediationPolicy remediation, LadderTimings ladder, Duration resync) {
        start(new CountingReconciler(cluster.client, policy, remediation, ladder, clock, resync, registry));
    }

    private void start(CountingReconciler r) {
        reconciler = r;
        operator = OperatorFactory.create(cluster.client, reconciler, Optional.empty(), registry);
        operator.start();
    }

    void awaitStatus(String node, Predicate<NodeHealthStatus> condition) {
        await().atMost(WAIT).until(() -> {
            NodeHealth nh = cluster.nodeHealth(node);
            return nh != null && nh.getStatus() != null && condition.test(nh.getStatus());
        });
    }

    /** A node the operator, started with {@code resync}, has tainted on a Degraded report. */
    void taintedNode(String node, Duration resync) {
        cluster.node(node);
        startOperator(Policy.defaults(), resync);
        cluster.report(node, Verdict.DEGRADED, clock.instant());
        await().atMost(WAIT).until(() -> cluster.ourTaint(node).isPresent());
    }

    /** Once settled, three resyncs 7 s of clock apart (a condition's time would change between them) make no write. */
    void assertNoWriteAsTimeGoesOn(String why) {
        awaitReconciles(2);
        int settled = cluster.mark();
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(7));
            awaitReconciles(2);
        }
        assertThat(cluster.writesSince(settled)).as(why).isEmpty();
    }

    /** Waits until {@code n} more reconciles have run; at a fixed clock each decides the same. */
    void awaitReconciles(int n) {
        int from = reconciler.reconciles.get();
        await().atMost(WAIT).until(() -> reconciler.reconciles.get() >= from + n);
    }
}
