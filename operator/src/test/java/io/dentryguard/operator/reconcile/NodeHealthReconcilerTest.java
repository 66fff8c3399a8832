package io.dentryguard.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dentryguard.api.testing.RealApiServer;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.decide.NodeDecision;
import io.dentryguard.operator.decide.Policy;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reconciler run by JOSDK against a real kube-apiserver and etcd with the generated CRD installed (one server for the class).
 * What only the mock can do (a report the CRD's schema refuses) is in {@link NodeHealthReconcilerFaultsTest}.
 */
class NodeHealthReconcilerTest extends ReconcilerOnClusterTest {
    private static TestCluster realCluster;

    @BeforeAll
    static void startTheApiServer() {
        realCluster = new TestCluster(RealApiServer.start());
    }

    @AfterAll
    static void stopTheApiServer() {
        if (realCluster != null) {
            realCluster.close();
        }
    }

    NodeHealthReconcilerTest() {
        super(realCluster);
    }

    @Test
    void aDegradedReportTaintsSetsTheConditionAndSaysSoWhileForeignTaintsSurvive() {
        Taint foreign = new Taint("NoSchedule", "example.com/maintenance", null, "true");
        cluster.node("node-a", foreign);
        startOperator(Policy.defaults(), QUICK_RESYNC);
        cluster.report("node-a", Verdict.DEGRADED, clock.instant());

        await().atMost(WAIT).until(() -> cluster.ourTaint("node-a").isPresent());
        assertThat(cluster.ourTaint("node-a").get().getEffect()).isEqualTo("NoSchedule");
        assertThat(cluster.client.nodes().withName("node-a").get().getSpec().getTaints()).contains(foreign).hasSize(2);
        await().atMost(WAIT).until(() -> cluster.ourCondition("node-a").isPresent());
        NodeCondition c = cluster.ourCondition("node-a").get();
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getReason()).isEqualTo("DentryCacheDegraded");
        assertThat(c.getMessage()).isEqualTo("average hash chain 4.800");
        assertThat(cluster.client.nodes().withName("node-a").get().getStatus().getConditions()).extracting(NodeCondition::getType)
                .containsExactly("Ready", "DentryCachePressure");
        await().atMost(WAIT).until(() -> cluster.eventReasons().contains("DentryPressureTainted"));
        awaitStatus("node-a", s -> Boolean.TRUE.equals(s.getTainted()));
        NodeHealthStatus status = cluster.nodeHealth("node-a").getStatus();
        assertThat(status.getVerdict()).as("the probe's fields survive the operator's writes").isEqualTo(Verdict.DEGRADED);
        assertThat(status.getConditions()).singleElement().satisfies(x -> assertThat(x.getReason()).isEqualTo("DentryCacheDegraded"));
        assertThat(status.getIntendedActions()).singleElement().asString()
                .isEqualTo(clock.instant() + " add taint dentryguard.io/dentry-pressure=dentry-guard:NoSchedule (done)");
        assertThat(registry.get("dentryguard_operator_actions").tag("action", "add_taint").tag("dry_run", "false").counter()
                .count()).isEqualTo(1.0);
        assertThat(registry.get("dentryguard_operator_nodes").tag("verdict", "degraded").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void recoveryUntaintsOnlyAfterTheHoldDown() {
        taintedNode("node-b", QUICK_RESYNC);

        clock.advance(Duration.ofMinutes(1));
        Instant recovered = clock.instant();
        cluster.report("node-b", Verdict.HEALTHY, clock.instant());
        awaitStatus("node-b", s -> recovered.toString().equals(s.getHealthySince()) && "HoldDown".equals(s.getSkipReason()));

        clock.advance(Duration.ofMinutes(4).plusSeconds(59));
        cluster.report("node-b", Verdict.HEALTHY, clock.instant());
        awaitReconciles(3);
        assertThat(cluster.ourTaint("node-b")).as("Healthy for 4 min 59 s of the 5 min hold-down").isPresent();

        clock.advance(Duration.ofSeconds(1));
        await().atMost(WAIT).until(() -> cluster.ourTaint("node-b").isEmpty());
        await().atMost(WAIT).until(() -> cluster.eventReasons().contains("DentryPressureUntainted"));
        assertThat(cluster.ourCondition("node-b").get().getStatus()).isEqualTo("False");
        assertThat(cluster.ourCondition("node-b").get().getReason()).isEqualTo("DentryCacheHealthy");
        awaitStatus("node-b", s -> Boolean.FALSE.equals(s.getTainted()) && s.getSkipReason() == null);
    }

    @Test
    void dryRunMakesNoMutatingRequestToNodesAndRecordsWhatItWouldDo() {
        cluster.node("node-c");
        long before = cluster.nodeMutations();
        startOperator(Policy.defaults().withDryRun(true), QUICK_RESYNC);
        cluster.report("node-c", Verdict.CRITICAL, clock.instant());
        awaitStatus("node-c", s -> !s.getIntendedActions().isEmpty());
        assertNoWriteAsTimeGoesOn("dry-run in a steady state writes nothing");

        assertThat(cluster.nodeMutations()).as(cluster.nodeWrites().toString()).isEqualTo(before);
        assertThat(cluster.ourTaint("node-c")).isEmpty();
        NodeHealthStatus status = cluster.nodeHealth("node-c").getStatus();
        assertThat(status.getIntendedActions()).as("announced once, not at every reconcile").singleElement().asString()
                .endsWith("add taint dentryguard.io/dentry-pressure=dentry-guard:NoSchedule (dry-run, not done)");
        assertThat(status.getSkipReason()).isEqualTo("DryRun");
        assertThat(status.getConditions()).as("dry-run does not freeze the operator's own view").singleElement()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo("DentryCacheCritical"));
        assertThat(cluster.eventReasons()).containsOnlyOnce("DryRun").doesNotContain("DentryPressureTainted");
        assertThat(registry.get("dentryguard_operator_actions").tag("action", "add_taint").tag("dry_run", "true").counter()
                .count()).isEqualTo(1.0);
    }

    @Test
    void reconcilingTheSameStateAgainChangesNothing() {
        cluster.node("node-d");
        startOperator(Policy.defaults(), QUICK_RESYNC);
        cluster.report("node-d", Verdict.DEGRADED, clock.instant());
        awaitStatus("node-d", s -> Boolean.TRUE.equals(s.getTainted()) && !s.getConditions().isEmpty());
        awaitReconciles(2);
        int settled = cluster.mark();
        awaitReconciles(5);

        assertThat(cluster.writesSince(settled)).as("writes after the state settled").isEmpty();
        assertThat(cluster.eventReasons()).filteredOn("DentryPressureTainted"::equals).as("one on the Node, one on the NodeHealth")
                .hasSize(2);
    }

    @Test
    void aRestartedOperatorRebuildsItsStateFromTheApiAlone() {
        taintedNode("node-e", QUICK_RESYNC);
        cluster.report("node-e", Verdict.HEALTHY, clock.instant());
        awaitStatus("node-e", s -> s.getHealthySince() != null);
        operator.stop();

        clock.advance(Duration.ofMinutes(3));
        startOperator(Policy.defaults(), QUICK_RESYNC);
        cluster.report("node-e", Verdict.HEALTHY, clock.instant());
        awaitReconciles(3);
        assertThat(cluster.ourTaint("node-e")).as("3 of the 5 hold-down minutes passed before the restart; they still count")
                .isPresent();
        clock.advance(Duration.ofMinutes(2));
        await().atMost(WAIT).until(() -> cluster.ourTaint("node-e").isEmpty());
        assertThat(cluster.eventReasons()).filteredOn("DentryPressureTainted"::equals).hasSize(2);
    }

    @Test
    void theCeilingHoldsWhenFiftyNodesReportAtOnce() {
        for (int i = 0; i < 50; i++) {
            cluster.node(String.format("node-%02d", i));
        }
        // A long resync: fifty NodeHealths decided every 300 ms would saturate the API server.
        startOperator(Policy.defaults(), Duration.ofSeconds(30));
        for (int i = 0; i < 50; i++) {
            cluster.report(String.format("node-%02d", i), Verdict.CRITICAL, clock.instant());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.client.resources(NodeHealth.class).list().getItems().stream()
                .filter(nh -> nh.getStatus() != null)
                .filter(nh -> "TaintCeilingReached".equals(nh.getStatus().getSkipReason()) || Boolean.TRUE.equals(nh.getStatus().getTainted()))
                .count() == 50);

        assertThat(cluster.taintedNodes()).as("20% of 50 nodes").isEqualTo(10);
        assertThat(cluster.events()).filteredOn(e -> e.getReason().equals("TaintCeilingReached"))
                .as("one on each held-back Node and one on its NodeHealth").hasSize(80)
                .extracting(e -> e.getInvolvedObject().getKind()).containsOnly("Node", "NodeHealth");
        assertThat(registry.get("dentryguard_operator_skipped_actions").tag("reason", "TaintCeilingReached").counter().count())
                .isEqualTo(40.0);
    }

    @Test
    void aStaleReportTurnsUnknownAndKeepsTheTaintByDefault() {
        taintedNode("node-f", QUICK_RESYNC);

        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        await().atMost(WAIT).until(() -> cluster.ourCondition("node-f").map(c -> c.getStatus().equals("Unknown")).orElse(false));
        assertThat(cluster.ourCondition("node-f").get().getReason()).isEqualTo("ReportStale");
        assertThat(cluster.ourTaint("node-f")).isPresent();
        awaitStatus("node-f", s -> "ReportStale".equals(s.getSkipReason()));
        assertThat(registry.get("dentryguard_operator_nodes").tag("verdict", "unknown").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void optingANodeOutRemovesTheTaintAtTheLabelNotAtTheNextResync() {
        taintedNode("node-g", Duration.ofMinutes(10));

        cluster.client.nodes().withName("node-g").edit(n -> {
            n.getMetadata().getLabels().put("dentryguard.io/ignore", "true");
            return n;
        });
        await().atMost(WAIT).until(() -> cluster.ourTaint("node-g").isEmpty());
        awaitStatus("node-g", s -> "OptedOut".equals(s.getSkipReason()));
    }

    @Test
    void aPausedNodeHealthIsLeftAlone() {
        cluster.node("node-h");
        startOperator(Policy.defaults(), QUICK_RESYNC);
        NodeHealth nh = new NodeHealth();
        nh.getMetadata().setName("node-h");
        nh.getSpec().setPaused(true);
        cluster.client.resource(nh).create();
        cluster.report("node-h", Verdict.CRITICAL, clock.instant());
        awaitStatus("node-h", s -> "Paused".equals(s.getSkipReason()));
        awaitReconciles(3);
        assertThat(cluster.ourTaint("node-h")).isEmpty();
        assertThat(cluster.ourCondition("node-h").get().getStatus()).as("the condition still tells").isEqualTo("True");
    }

    @Test
    void theConditionNamesTheGenerationItWasDecidedOn() {
        taintedNode("node-p", QUICK_RESYNC);
        awaitStatus("node-p", s -> !s.getConditions().isEmpty());
        cluster.client.resources(NodeHealth.class).withName("node-p").edit(nh -> {
            nh.getSpec().setPaused(true);
            return nh;
        });
        awaitStatus("node-p", s -> "Paused".equals(s.getSkipReason()));

        NodeHealth paused = cluster.nodeHealth("node-p");
        assertThat(paused.getMetadata().getGeneration()).as("a spec change").isEqualTo(2L);
        assertThat(paused.getStatus().getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getReason()).as("pausing changes nothing the condition says").isEqualTo("DentryCacheDegraded");
            assertThat(c.getObservedGeneration()).as("yet it was decided on the paused spec").isEqualTo(2L);
        });
        // A status write does not bump the generation, so following it writes once per spec change.
        assertNoWriteAsTimeGoesOn("resyncs of a paused node");
    }

    @Test
    void aStaleNodeWritesNothingOverManyResyncs() {
        taintedNode("node-s", QUICK_RESYNC);
        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        awaitStatus("node-s", s -> "ReportStale".equals(s.getSkipReason()) && s.getConditions().stream()
                .anyMatch(c -> "ReportStale".equals(c.getReason())));
        await().atMost(WAIT).until(() -> cluster.ourCondition("node-s").map(c -> "ReportStale".equals(c.getReason())).orElse(false));
        awaitReconciles(2);
        int settled = cluster.mark();
        for (int minute = 1; minute <= 5; minute++) {
            clock.advance(Duration.ofMinutes(1));
            awaitReconciles(2);
        }
        assertThat(cluster.writesSince(settled)).as("five minutes of resyncs of a stale node").isEmpty();
        assertThat(cluster.ourCondition("node-s").get().getMessage()).startsWith("no report from the probe since 2026-11-29T12:00:00Z");
    }

    @Test
    void onlyTheOperatorsOwnTaintIsRemoved() {
        Taint manual = new Taint("NoExecute", NodeDecision.TAINT_KEY, null, "manual");
        cluster.node("node-m", manual);
        startOperator(Policy.defaults(), QUICK_RESYNC);
        cluster.report("node-m", Verdict.DEGRADED, clock.instant());
        await().atMost(WAIT).until(() -> cluster.ourTaint("node-m").isPresent());
        assertThat(cluster.taints("node-m")).as("two taints of one key: ours and the hand-added one").hasSize(2).contains(manual);

        clock.advance(Duration.ofMinutes(1));
        cluster.report("node-m", Verdict.HEALTHY, clock.instant());
        awaitStatus("node-m", s -> s.getHealthySince() != null);
        clock.advance(Duration.ofMinutes(5));
        await().atMost(WAIT).until(() -> cluster.ourTaint("node-m").isEmpty());
        assertThat(cluster.taints("node-m")).containsExactly(manual);
        await().atMost(WAIT).until(() -> cluster.eventReasons().contains("DentryPressureUntainted"));
        assertThat(cluster.events()).filteredOn(e -> e.getReason().equals("DentryPressureUntainted")).allSatisfy(e -> assertThat(
                e.getMessage()).startsWith("remove taint dentryguard.io/dentry-pressure=dentry-guard:NoSchedule:").doesNotContain("manual"));
    }

    @Test
    void aFreedSlotUnderTheCeilingIsTakenWithoutWaitingForTheResync() {
        for (String n : List.of("node-1", "node-2", "node-3", "node-4", "node-5")) {
            cluster.node(n);
        }
        startOperator(Policy.defaults(), Duration.ofMinutes(10));
        cluster.report("node-1", Verdict.DEGRADED, clock.instant());
        await().atMost(WAIT).until(() -> cluster.ourTaint("node-1").isPresent());
        cluster.report("node-2", Verdict.CRITICAL, clock.instant());
        awaitStatus("node-2", s -> "TaintCeilingReached".equals(s.getSkipReason()));
        await().atMost(WAIT).until(() -> cluster.ourCondition("node-2").isPresent());
        assertThat(cluster.ourCondition("node-2").get().getMessage()).as("kubectl describe node says why there is no taint")
                .isEqualTo("average hash chain 4.800; not tainted: the operator's ceiling of 1 tainted node is reached");
        await().atMost(WAIT).until(() -> cluster.events().stream().anyMatch(e -> e.getReason().equals("TaintCeilingReached")
                && e.getInvolvedObject().getKind().equals("Node") && e.getInvolvedObject().getName().equals("node-2")));

        cluster.client.nodes().withName("node-1").edit(n -> {
            n.getMetadata().getLabels().put("dentryguard.io/ignore", "true");
            return n;
        });
        // The resync is ten minutes away: only a wake-up by the untaint gets node-2 its taint in time.
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.ourTaint("node-2").isPresent());
        assertThat(cluster.ourTaint("node-1")).isEmpty();
    }

    @Test
    void theHoldDownCountsFromTheProbesVerdictSinceAcrossAnOperatorCrash() {
        taintedNode("node-r", QUICK_RESYNC);
        operator.stop();
        // The node recovered while the operator was down: no healthySince of the operator's own.
        Instant recovered = clock.instant().plusSeconds(60);
        clock.advance(Duration.ofMinutes(6));
        cluster.report("node-r", clock.instant(), Map.of("verdict", Verdict.HEALTHY, "verdictSince", recovered.toString()));
        assertThat(cluster.nodeHealth("node-r").getStatus().getHealthySince()).isNull();

        startOperator(Policy.defaults(), QUICK_RESYNC);
        await("Healthy for 5 min by the probe's word: no new hold-down from the restart").atMost(WAIT)
                .until(() -> cluster.ourTaint("node-r").isEmpty());
        awaitStatus("node-r", s -> recovered.toString().equals(s.getHealthySince()));
    }

    @Test
    void aNodeHealthWithoutItsNodeSaysSo() {
        startOperator(Policy.defaults(), QUICK_RESYNC);
        cluster.report("node-gone", Verdict.DEGRADED, clock.instant());
        awaitStatus("node-gone", s -> "NodeNotFound".equals(s.getSkipReason()));
        assertThat(cluster.nodeHealth("node-gone").getStatus().getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("Unknown");
            assertThat(c.getReason()).isEqualTo("NodeNotFound");
            assertThat(c.getMessage()).isEqualTo("there is no Node named node-gone");
        });
        assertNoWriteAsTimeGoesOn("resyncs as time goes on");
    }
}
