package io.dentryguard.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dentryguard.api.testing.MockApiServer;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.decide.Policy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reconciler against fabric8's mock API server, for what a real API server will not do on demand: store a report its CRD
 * schema refuses. Such a report reaches the operator only from a server that does not validate it, e.g. an object stored under
 * an older CRD; a real server answers the write with 422. Everything else is in {@link NodeHealthReconcilerTest}, on a real
 * server.
 */
class NodeHealthReconcilerFaultsTest extends ReconcilerOnClusterTest {
    private static TestCluster mockCluster;

    @BeforeAll
    static void startTheMockServer() {
        mockCluster = new TestCluster(new MockApiServer());
    }

    @AfterAll
    static void stopTheMockServer() {
        if (mockCluster != null) {
            mockCluster.close();
        }
    }

    NodeHealthReconcilerFaultsTest() {
        super(mockCluster);
    }

    @Test
    void oneReportThatDoesNotReadStopsNothingElse() {
        cluster.node("node-bad");
        cluster.node("node-ok");
        startOperator(Policy.defaults(), QUICK_RESYNC);
        // Out of the CRD's enums: the mock stores it, as a server would that validated it under an older CRD.
        cluster.report("node-bad", clock.instant(), Map.of("verdict", "Exploded",
                "offenders", List.of(Map.of("cgroup", "/kubepods/x", "confidence", "Extreme"))));
        cluster.report("node-ok", Verdict.DEGRADED, clock.instant());

        await().atMost(WAIT).until(() -> cluster.ourTaint("node-ok").isPresent());
        awaitStatus("node-bad", s -> "ReportUnreadable".equals(s.getSkipReason()));
        assertThat(cluster.nodeHealth("node-bad").getStatus().getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("Unknown");
            assertThat(c.getReason()).isEqualTo("ReportUnreadable");
            assertThat(c.getMessage()).contains("status.verdict \"Exploded\" is not one of Healthy, Warning, Degraded, Critical, Unknown",
                    "status.offenders[0].confidence \"Extreme\" is not one of High, Medium, Low");
        });
        assertThat(cluster.ourTaint("node-bad")).isEmpty();
        assertThat(operator.getRuntimeInfo().allEventSourcesAreHealthy()).isTrue();
        awaitReconciles(2);
        int settled = cluster.mark();
        awaitReconciles(6);
        assertThat(cluster.requestsSince(settled)).as("deciding on the cache finds nothing to change")
                .noneMatch(r -> r.path().endsWith("/node-bad") || r.path().contains("/node-bad/"));

        // The probe writes all its fields at each report: the bad offender goes too.
        cluster.report("node-bad", clock.instant(), Map.of("verdict", Verdict.CRITICAL, "offenders", List.of()));
        awaitStatus("node-bad", s -> s.getConditions().stream().anyMatch(c -> "DentryCacheCritical".equals(c.getReason()))
                && "TaintCeilingReached".equals(s.getSkipReason()));
    }
}
