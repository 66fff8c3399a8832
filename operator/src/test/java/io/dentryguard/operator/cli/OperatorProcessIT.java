package io.dentryguard.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dentryguard.api.testing.LogLines;
import io.dentryguard.api.testing.RealApiServer;
import io.dentryguard.api.testing.Promtool;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.operator.decide.NodeDecision;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged operator, run as ./dentry-guard operator runs it, against a real API server as its
 * own service account with a real token, under the roles of deploy/rbac.yaml: so the roles are
 * enough for its whole job, leader election included. One operator process for all tests: it is
 * started once a Degraded node has been reported, and the tests look at it after it has tainted
 * that node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorProcessIT {
    @TempDir
    static Path dir;

    private RealApiServer api;
    private OperatorProcess operator;

    @BeforeAll
    void startTheOperatorOnADegradedNode() throws Exception {
        api = RealApiServer.start();
        api.apply("deploy/rbac.yaml");
        api.node("it-node");
        NodeHealth nh = new NodeHealth();
        nh.getMetadata().setName("it-node");
        api.client.resource(nh).create();
        api.client.resources(NodeHealth.class).withName("it-node").subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\":{\"verdict\":\"Degraded\",\"reasons\":[\"average hash chain 4.800\"],\"lastReportTime\":\""
                        + Instant.now() + "\"}}");
        // A zone far from UTC: the log lines must still carry UTC timestamps (docs/operator.md, Logs).
        // Leader election on, as in a Deployment with replicas: its Lease is in its own namespace.
        operator = new OperatorProcess(api.kubeconfigAs(dir, "dentry-guard", "dentry-guard-operator"), dir,
                Map.of("TZ", LogLines.FAR_FROM_UTC, "DENTRYGUARD_LEADER_ELECTION", "true", "DENTRYGUARD_LEASE_NAMESPACE", "dentry-guard"));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            var taints = api.client.nodes().withName("it-node").get().getSpec().getTaints();
            return taints != null && taints.stream().anyMatch(t -> NodeDecision.TAINT_KEY.equals(t.getKey()));
        });
    }

    @AfterAll
    void stopTheOperator() throws Exception {
        try {
            if (operator != null) {
                assertThat(List.of(operator.stop())).as("stopped by SIGTERM, shut down cleanly").containsAnyOf(0, 143);
                assertThat(operator.log().lines()).as("every line of the operator's output is a log line in the probe's format")
                        .isNotEmpty().allSatisfy(l -> assertThat(l).matches(LogLines.UTC_LINE));
            }
        } finally {
            if (api != null) {
                api.close();
            }
        }
    }

    @Test
    void taintsADegradedNodeAndServesItsMetrics() throws Exception {
        String metrics = operator.get("/metrics");
        assertThat(metrics).contains("dentryguard_operator_actions_total{action=\"add_taint\",dry_run=\"false\"} 1.0",
                "dentryguard_operator_nodes{verdict=\"degraded\"} 1.0");
        assertThat(metrics).containsPattern("operator_sdk_reconciliations_[a-z_]*total");
        assertThat(operator.get("/healthz")).isEqualTo("200 ok\n");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(operator.log())
                .contains("node it-node: add taint dentryguard.io/dentry-pressure=dentry-guard:NoSchedule (done)"));
    }

    @Test
    void itsRolesAreEnoughForItsWholeJob() {
        assertThat(api.client.resources(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class).inNamespace("dentry-guard").withName("dentry-guard-operator").get())
                .as("leader election took its Lease").isNotNull();
        assertThat(api.client.v1().events().inNamespace("default").list().getItems())
                .as("its Events, about the node it tainted").anySatisfy(e -> assertThat(e.getInvolvedObject().getName()).isEqualTo("it-node"));
        assertThat(api.audit()).as("no call of the operator was refused")
                .filteredOn(r -> r.user().equals("system:serviceaccount:dentry-guard:dentry-guard-operator"))
                .isNotEmpty().allSatisfy(r -> assertThat(r.code()).as(r.request().toString()).isNotIn(401, 403));
    }

    @Test
    void metricsPassPromtoolAndIncludeTheJvmAndProcessMetrics() throws Exception {
        String metrics = operator.get("/metrics").substring("200 ".length());
        Promtool.assertClean(metrics);
        assertThat(metrics).contains("jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads ", "jvm_classes_loaded_classes ",
                "process_cpu_usage ", "process_cpu_seconds_total ", "jvm_available_processors ", "process_uptime_seconds ",
                "process_files_open_files ", "process_resident_memory_bytes ");
        assertThat(metrics).as("JOSDK's per-controller gauges, the controller as a label")
                .contains("operator_sdk_reconciliations_executions{controller=\"nodehealth\"",
                        "operator_sdk_reconciliations_queue_size{controller=\"nodehealth\"");
    }
}
