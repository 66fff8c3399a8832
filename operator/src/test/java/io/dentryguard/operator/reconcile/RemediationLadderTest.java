package io.dentryguard.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dentryguard.api.testing.RealApiServer;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.ReclaimRequest;
import io.dentryguard.api.v1alpha1.RemediationStatus;
import io.dentryguard.operator.decide.Policy;
import io.dentryguard.operator.decide.remediation.LadderTimings;
import io.dentryguard.operator.decide.remediation.RemediationPolicy;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The remediation ladder walked by the operator on a real API server, rung by rung, with the test
 * standing in for the probe (its reports and its answers to reclaim requests) and for the kubelet
 * (the offender pod's Running status). The clock is moved by hand.
 */
class RemediationLadderTest extends ReconcilerOnClusterTest {
    private static final String NS = "shop";
    private static final LadderTimings TIMINGS = new LadderTimings(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofHours(1),
            Duration.ofHours(6));
    private static TestCluster realCluster;
    private String podUid;

    @BeforeAll
    static void startTheApiServer() {
        realCluster = new TestCluster(RealApiServer.start());
        realCluster.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    @AfterAll
    static void stopTheApiServer() {
        if (realCluster != null) {
            realCluster.close();
        }
    }

    RemediationLadderTest() {
        super(realCluster);
    }

    /** A Deployment's pod on node-a, Running and Ready (the kubelet's part), that floods. */
    @BeforeEach
    void anOffenderPod() {
        // At once (no kubelet here would finish a graceful deletion of a pod bound to a node).
        cluster.client.pods().inNamespace(NS).withGracePeriod(0).delete();
        cluster.client.v1().events().inNamespace(NS).delete();
        cluster.client.apps().replicaSets().inNamespace(NS).delete();
        await().atMost(WAIT).until(() -> cluster.client.pods().inNamespace(NS).list().getItems().isEmpty());
        cluster.node("node-a");
        ReplicaSet rs = cluster.client.apps().replicaSets().inNamespace(NS).resource(new ReplicaSetBuilder().withNewMetadata()
                .withName("trasher-7d9").addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName("trasher")
                .withUid("d-1").withController(true).endOwnerReference().endMetadata().withNewSpec().withNewSelector()
                .addToMatchLabels("app", "trasher").endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "trasher")
                .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("registry.invalid/trasher:1").endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        Pod pod = cluster.client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("trasher-7d9-x2")
                .addToLabels("app", "trasher").addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet")
                .withName(rs.getMetadata().getName()).withUid(rs.getMetadata().getUid()).withController(true).endOwnerReference()
                .endMetadata().withNewSpec().withNodeName("node-a").addNewContainer().withName("c").withImage("registry.invalid/trasher:1")
                .endContainer().endSpec().build()).create();
        cluster.client.pods().inNamespace(NS).withName("trasher-7d9-x2").subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\": {\"phase\": \"Running\", \"conditions\": [{\"type\": \"Ready\", \"status\": \"True\"}]}}");
        podUid = pod.getMetadata().getUid();
    }

    /** What the probe reports: Degraded or Healthy, the offender at High while it floods, and what it can reclaim. */
    private void probeReports(String verdict, Map<String, Object> answer) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("verdict", verdict);
        fields.put("reclaimScopes", List.of("Pod"));
        fields.put("offenders", verdict.equals("Healthy") ? List.of() : List.of(Map.of("cgroup", "kubepods/burstable/pod" + podUid,
                "kind", "pod", "podUid", podUid, "podNamespace", NS, "podName", "trasher-7d9-x2", "confidence", "High", "share", 1.0)));
        if (answer != null) {
            fields.put("reclaimOutcome", answer);
        }
        cluster.report("node-a", clock.instant(), fields);
    }

    private static Map<String, Object> done(String id) {
        return Map.of("id", id, "result", "Done", "freedNegativeDentries", 900_000, "durationSeconds", 0.6);
    }

    private ReclaimRequest requestOtherThan(String id) {
        await().atMost(WAIT).until(() -> {
            NodeHealth nh = cluster.nodeHealth("node-a");
            ReclaimRequest r = nh.getSpec() == null ? null : nh.getSpec().getReclaim();
            return r != null && !r.getId().equals(id);
        });
        return cluster.nodeHealth("node-a").getSpec().getReclaim();
    }

    private RemediationStatus remediation() {
        return cluster.nodeHealth("node-a").getStatus().getRemediation();
    }

    private boolean podTerminating() {
        Pod p = cluster.client.pods().inNamespace(NS).withName("trasher-7d9-x2").get();
        return p == null || p.getMetadata().getDeletionTimestamp() != null;
    }

    @Test
    void reclaimTwiceThenEvictTheRepeatOffenderThenStopAtRecovery() {
        startOperator(Policy.defaults(), RemediationPolicy.defaults(), TIMINGS, QUICK_RESYNC);
        probeReports("Degraded", null);

        ReclaimRequest first = requestOtherThan("none");
        assertThat(first.getScope()).isEqualTo(ReclaimRequest.Scope.POD);
        assertThat(first.getPodUid()).isEqualTo(podUid);
        assertThat(remediation().getLastRequestId()).isEqualTo(first.getId());
        assertThat(remediation().getReclaims()).as("counted when the probe answers Done").isZero();

        probeReports("Degraded", done(first.getId()));
        awaitStatus("node-a", s -> s.getRemediation() != null && "Wait".equals(s.getRemediation().getStep())
                && s.getRemediation().getMessage().startsWith("verifying reclaim"));
        assertThat(remediation().getReclaims()).isEqualTo(1);
        assertThat(podTerminating()).isFalse();

        clock.advance(Duration.ofSeconds(11));
        probeReports("Degraded", done(first.getId()));
        ReclaimRequest second = requestOtherThan(first.getId());
        assertThat(remediation().getReclaims()).as("the second not answered yet").isEqualTo(1);

        probeReports("Degraded", done(second.getId()));
        clock.advance(Duration.ofSeconds(11));
        probeReports("Degraded", done(second.getId()));
        await().atMost(WAIT).until(this::podTerminating);
        awaitStatus("node-a", s -> s.getRemediation() != null && s.getRemediation().getEvictedAt() != null);
        assertThat(remediation().getEvictedWorkload()).isEqualTo("Deployment shop/trasher");
        assertThat(remediation().getMessage()).as("evicted: only the node-wide rung is left, later").contains("node-wide reclaim");
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.client.v1().events().inNamespace(NS).list().getItems())
                .filteredOn(e -> e.getReason().equals("RepeatOffenderEvicted"))
                .extracting(e -> e.getInvolvedObject().getKind() + " " + e.getInvolvedObject().getName())
                .containsExactlyInAnyOrder("Pod trasher-7d9-x2", "Deployment trasher"));
        assertThat(cluster.client.v1().events().inNamespace(TestCluster.EVENT_NAMESPACE).list().getItems())
                .as("one Event per step on the NodeHealth, none for waiting").extracting(e -> e.getReason())
                .filteredOn(r -> r.startsWith("Remediation"))
                .containsExactlyInAnyOrder("RemediationRequestPodReclaim", "RemediationRequestPodReclaim", "RemediationEvict");
        assertThat(registry.get("dentryguard_operator_remediation_steps").tag("step", "request_pod_reclaim").tag("dry_run", "false")
                .counter().count()).isEqualTo(2);
        assertThat(registry.get("dentryguard_operator_remediation_steps").tag("step", "evict").counter().count()).isEqualTo(1);
        assertThat(cluster.requestsSince(0)).as("evicted, never deleted")
                .noneMatch(r -> r.method().equals("DELETE") && r.path().contains("/pods/trasher"));

        probeReports("Healthy", done(second.getId()));
        awaitStatus("node-a", s -> s.getRemediation() != null && "Recovered".equals(s.getRemediation().getStep()));
        assertThat(remediation().getSince()).as("off the ladder").isNull();
        assertThat(remediation().getEvictedAt()).as("the eviction stays recorded for the workload's cooldown").isNotNull();
    }

    @Test
    void aWarningNodesOffenderIsReclaimedInPlaceAgainAndAgainButNotEvicted() {
        startOperator(Policy.defaults(), RemediationPolicy.defaults(), TIMINGS, QUICK_RESYNC);
        probeReports("Warning", null);
        ReclaimRequest previous = requestOtherThan("none");
        for (int reclaims = 1; reclaims <= 3; reclaims++) {
            probeReports("Warning", done(previous.getId()));
            clock.advance(Duration.ofSeconds(11));
            probeReports("Warning", done(previous.getId()));
            previous = requestOtherThan(previous.getId());
        }
        assertThat(remediation().getReclaims()).isEqualTo(3);
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.client.v1().events().inNamespace(TestCluster.EVENT_NAMESPACE).list()
                .getItems()).filteredOn(e -> e.getReason().equals("RemediationRequestPodReclaim")).extracting(e -> e.getMessage())
                .hasSize(4).filteredOn(m -> m.contains("eviction only once the node is Degraded")).hasSize(2));
        assertThat(podTerminating()).as("eviction waits for Degraded").isFalse();
        assertThat(cluster.nodeHealth("node-a").getStatus().getTainted()).as("Warning does not taint").isNotEqualTo(Boolean.TRUE);

        probeReports("Healthy", done(previous.getId()));
        // Off the ladder with no eviction to remember: status.remediation is cleared, the Event says it.
        awaitStatus("node-a", s -> s.getRemediation() == null);
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.client.v1().events().inNamespace(TestCluster.EVENT_NAMESPACE).list()
                .getItems()).extracting(e -> e.getReason()).contains("RemediationRecovered"));
    }

    @Test
    void aReportThatDoesNotReadIsNotActedOn() {
        startOperator(Policy.defaults(), RemediationPolicy.defaults(), TIMINGS, QUICK_RESYNC);
        cluster.report("node-a", clock.instant(), Map.of("verdict", "Degraded", "verdictSince", "yesterday", "reclaimScopes", List.of("Pod"),
                "offenders", List.of(Map.of("cgroup", "kubepods/burstable/pod" + podUid, "kind", "pod", "podUid", podUid, "podNamespace", NS,
                        "podName", "trasher-7d9-x2", "confidence", "High", "share", 1.0))));
        awaitStatus("node-a", s -> "ReportUnreadable".equals(s.getSkipReason()));
        assertThat(cluster.nodeHealth("node-a").getSpec().getReclaim()).as("no request on a report that does not read").isNull();

        cluster.report("node-a", clock.instant(), Map.of("verdictSince", clock.instant().toString()));
        assertThat(requestOtherThan("none").getPodUid()).isEqualTo(podUid);
    }

    @Test
    void dryRunAsksNothingAndEvictsNothing() {
        startOperator(Policy.defaults().withDryRun(true), RemediationPolicy.defaults(), TIMINGS, QUICK_RESYNC);
        probeReports("Degraded", null);
        awaitStatus("node-a", s -> s.getRemediation() != null && s.getRemediation().getMessage().startsWith("dry-run"));
        assertThat(cluster.nodeHealth("node-a").getSpec().getReclaim()).isNull();
    }

    @Test
    void aPodDisruptionBudgetRefusalIsRecordedAndTheLadderWaits() {
        cluster.client.policy().v1().podDisruptionBudget().inNamespace(NS).resource(
                new io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder().withNewMetadata().withName("trasher")
                        .endMetadata().withNewSpec().withNewMinAvailable(1).withNewSelector().addToMatchLabels("app", "trasher")
                        .endSelector().endSpec().build()).create();
        long generation = cluster.client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("trasher").get().getMetadata()
                .getGeneration();
        cluster.client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("trasher").subresource("status").patch(
                PatchContext.of(PatchType.JSON_MERGE), "{\"status\": {\"observedGeneration\": " + generation
                        + ", \"disruptionsAllowed\": 0, \"currentHealthy\": 1, \"desiredHealthy\": 1, \"expectedPods\": 1}}");
        try {
            startOperator(Policy.defaults(), RemediationPolicy.defaults(), TIMINGS, QUICK_RESYNC);
            probeReports("Degraded", null);
            ReclaimRequest first = requestOtherThan("none");
            probeReports("Degraded", done(first.getId()));
            clock.advance(Duration.ofSeconds(11));
            probeReports("Degraded", done(first.getId()));
            ReclaimRequest second = requestOtherThan(first.getId());
            probeReports("Degraded", done(second.getId()));
            clock.advance(Duration.ofSeconds(11));
            probeReports("Degraded", done(second.getId()));
            awaitStatus("node-a", s -> s.getRemediation() != null
                    && s.getRemediation().getMessage().startsWith("eviction refused by a PodDisruptionBudget (429)"));
            assertThat(podTerminating()).isFalse();
            assertThat(remediation().getEvictedAt()).isNull();
        } finally {
            cluster.client.policy().v1().podDisruptionBudget().inNamespace(NS).delete();
        }
    }

    @Test
    void aPausedNodeStaysWhereItIsOnTheLadder() {
        startOperator(Policy.defaults(), RemediationPolicy.defaults(), TIMINGS, QUICK_RESYNC);
        probeReports("Degraded", null);
        ReclaimRequest first = requestOtherThan("none");
        cluster.client.resources(NodeHealth.class).withName("node-a").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\": {\"paused\": true}}");
        probeReports("Degraded", done(first.getId()));
        clock.advance(Duration.ofSeconds(11));
        probeReports("Degraded", done(first.getId()));
        awaitReconciles(3);
        assertThat(cluster.nodeHealth("node-a").getSpec().getReclaim().getId()).as("no second request while paused")
                .isEqualTo(first.getId());
        assertThat(remediation().getReclaims()).as("its answer not counted while paused").isZero();
        assertThat(remediation().getSince()).as("still on the ladder, for when it is resumed").isNotNull();
    }

    @Test
    void twoNodesReadyToEvictPodsOfOneDeploymentEvictOnlyOne() {
        // A second pod of the same ReplicaSet on node-b; both nodes already past two answered reclaims.
        cluster.node("node-b");
        Pod first = cluster.client.pods().inNamespace(NS).withName("trasher-7d9-x2").get();
        Pod second = cluster.client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("trasher-7d9-y3")
                .addToLabels("app", "trasher").withOwnerReferences(first.getMetadata().getOwnerReferences()).endMetadata().withNewSpec()
                .withNodeName("node-b").addNewContainer().withName("c").withImage("registry.invalid/trasher:1").endContainer().endSpec()
                .build()).create();
        cluster.client.pods().inNamespace(NS).withName("trasher-7d9-y3").subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\": {\"phase\": \"Running\", \"conditions\": [{\"type\": \"Ready\", \"status\": \"True\"}]}}");
        String past = clock.instant().minusSeconds(120).toString();
        for (Pod p : List.of(first, second)) {
            String node = p.getSpec().getNodeName();
            cluster.client.resources(NodeHealth.class).resource(nodeHealthNamed(node)).create();
            cluster.client.resources(NodeHealth.class).withName(node).patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\": {\"reclaim\": {\"id\": \"r-" + node + "\", \"scope\": \"Pod\", \"podUid\": \"" + p.getMetadata().getUid()
                            + "\", \"requestedAt\": \"" + past + "\"}}}");
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("verdict", "Degraded");
            fields.put("reclaimScopes", List.of("Pod"));
            fields.put("offenders", List.of(Map.of("cgroup", "kubepods/burstable/pod" + p.getMetadata().getUid(), "kind", "pod",
                    "podUid", p.getMetadata().getUid(), "podNamespace", NS, "podName", p.getMetadata().getName(), "confidence", "High")));
            fields.put("reclaimOutcome", done("r-" + node));
            fields.put("remediation", Map.of("step", "Wait", "since", past, "podUid", p.getMetadata().getUid(),
                    "pod", NS + "/" + p.getMetadata().getName(), "reclaims", 2, "lastDoneRequestId", "r-" + node, "lastRequestId", "r-" + node,
                    "lastRequestAt", past));
            cluster.report(node, clock.instant(), fields);
        }

        startOperator(Policy.defaults(), RemediationPolicy.defaults(), TIMINGS, QUICK_RESYNC);
        await().atMost(WAIT).until(() -> List.of("node-a", "node-b").stream().allMatch(n -> {
            var r = cluster.nodeHealth(n).getStatus().getRemediation();
            return r != null && (r.getEvictedAt() != null || r.getMessage() != null && r.getMessage().contains("within its cooldown"));
        }));
        long evicted = cluster.client.pods().inNamespace(NS).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() != null).count();
        assertThat(evicted).as("one pod of the Deployment evicted, the other held by its cooldown").isEqualTo(1);
    }

    private static NodeHealth nodeHealthNamed(String name) {
        NodeHealth nh = new NodeHealth();
        nh.getMetadata().setName(name);
        return nh;
    }
}
