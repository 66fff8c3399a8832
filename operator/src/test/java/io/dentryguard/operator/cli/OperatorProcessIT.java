package io.dentryguard.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dentryguard.api.testing.MockApiServer;
import io.dentryguard.api.testing.Promtool;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.operator.decide.NodeDecision;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged operator, run as ./dentry-guard operator runs it, against the mock API server through a
 * kubeconfig. One operator process for all tests: it is started once a Degraded node has been
 * reported, and the tests look at it after it has tainted that node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorProcessIT {
    @TempDir
    static Path dir;

    private MockApiServer api;
    private Process operator;
    private Path log;
    private String baseUrl;

    @BeforeAll
    void startTheOperatorOnADegradedNode() throws Exception {
        String jar = System.getProperty("operator.jar");
        assertThat(jar).as("operator.jar (run through mvn verify)").isNotNull();
        assertThat(new File(jar)).isFile();
        api = new MockApiServer();
        api.node("it-node");
        NodeHealth nh = new NodeHealth();
        nh.getMetadata().setName("it-node");
        api.client.resource(nh).create();
        api.client.resources(NodeHealth.class).withName("it-node").subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\":{\"verdict\":\"Degraded\",\"reasons\":[\"average hash chain 4.800\"],\"lastReportTime\":\""
                        + Instant.now() + "\"}}");

        log = dir.resolve("operator.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", jar).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("KUBECONFIG", api.kubeconfig(dir).toString());
        pb.environment().put("DENTRYGUARD_METRICS_PORT", "0");
        operator = pb.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            var taints = api.client.nodes().withName("it-node").get().getSpec().getTaints();
            return taints != null && taints.stream().anyMatch(t -> NodeDecision.TAINT_KEY.equals(t.getKey()));
        });
        Matcher port = Pattern.compile("metrics on :(\\d+)").matcher(Files.readString(log));
        assertThat(port.find()).as(Files.readString(log)).isTrue();
        baseUrl = "http://127.0.0.1:" + port.group(1);
    }

    @AfterAll
    void stopTheOperator() throws Exception {
        try {
            if (operator != null) {
                operator.destroy();
                operator.waitFor();
                assertThat(List.of(operator.exitValue())).as("stopped by SIGTERM, shut down cleanly").containsAnyOf(0, 143);
            }
        } finally {
            if (api != null) {
                api.close();
            }
        }
    }

    private String get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void taintsADegradedNodeAndServesItsMetrics() throws Exception {
        String metrics = get("/metrics");
        assertThat(metrics).contains("dentryguard_operator_actions_total{action=\"add_taint\",dry_run=\"false\"} 1.0",
                "dentryguard_operator_nodes{verdict=\"degraded\"} 1.0");
        assertThat(metrics).containsPattern("operator_sdk_reconciliations_[a-z_]*total");
        assertThat(get("/healthz")).isEqualTo("ok\n");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Files.readString(log)).contains("node it-node: add taint dentryguard.io/dentry-pressure:NoSchedule"));
    }

    @Test
    void metricsPassPromtoolAndIncludeTheJvmAndProcessMetrics() throws Exception {
        String metrics = get("/metrics");
        Promtool.assertClean(metrics);
        assertThat(metrics).contains("jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads ", "jvm_classes_loaded_classes ",
                "process_cpu_usage ", "process_cpu_seconds_total ", "jvm_available_processors ", "process_uptime_seconds ",
                "process_files_open_files ");
        assertThat(metrics).as("JOSDK's per-controller gauges, the controller as a label")
                .contains("operator_sdk_reconciliations_executions{controller=\"nodehealth\"",
                        "operator_sdk_reconciliations_queue_size{controller=\"nodehealth\"");
    }
}
