package io.dentryguard.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dentryguard.api.testing.LogLines;
import io.dentryguard.api.testing.MockApiServer;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.operator.decide.NodeDecision;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.File;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged operator, run as ./dentry-guard operator runs it, against the mock API server through a kubeconfig. */
class OperatorProcessIT {
    @TempDir
    Path dir;

    @Test
    void taintsADegradedNodeAndServesItsMetrics() throws Exception {
        String jar = System.getProperty("operator.jar");
        assertThat(jar).as("operator.jar (run through mvn verify)").isNotNull();
        assertThat(new File(jar)).isFile();
        try (MockApiServer api = new MockApiServer()) {
            api.node("it-node");
            NodeHealth nh = new NodeHealth();
            nh.getMetadata().setName("it-node");
            api.client.resource(nh).create();
            api.client.resources(NodeHealth.class).withName("it-node").subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"status\":{\"verdict\":\"Degraded\",\"reasons\":[\"average hash chain 4.800\"],\"lastReportTime\":\""
                            + Instant.now() + "\"}}");

            Path log = dir.resolve("operator.log");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-jar", jar).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("KUBECONFIG", api.kubeconfig(dir).toString());
            pb.environment().put("DENTRYGUARD_METRICS_PORT", "0");
            // A zone far from UTC: the log lines must still carry UTC timestamps (docs/operator.md, Logs).
            pb.environment().put("TZ", LogLines.FAR_FROM_UTC);
            Process operator = pb.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    var taints = api.client.nodes().withName("it-node").get().getSpec().getTaints();
                    return taints != null && taints.stream().anyMatch(t -> NodeDecision.TAINT_KEY.equals(t.getKey()));
                });
                Matcher port = Pattern.compile("metrics on :(\\d+)").matcher(Files.readString(log));
                assertThat(port.find()).as(Files.readString(log)).isTrue();
                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.group(1)
                        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("dentryguard_operator_actions_total{action=\"add_taint\",dry_run=\"false\"} 1.0",
                        "dentryguard_operator_nodes{verdict=\"degraded\"} 1.0");
                assertThat(metrics).containsPattern("operator_sdk_reconciliations_[a-z_]*total");
                String health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.group(1)
                        + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(health).isEqualTo("ok\n");
            } finally {
                operator.destroy();
                operator.waitFor();
            }
            assertThat(Files.readString(log)).contains("node it-node: add taint dentryguard.io/dentry-pressure:NoSchedule");
            assertThat(Files.readString(log).lines()).as("every line of the operator's output is a log line in the probe's format")
                    .isNotEmpty().allSatisfy(l -> assertThat(l).matches(LogLines.UTC_LINE));
            assertThat(List.of(operator.exitValue())).as("stopped by SIGTERM, shut down cleanly").containsAnyOf(0, 143);
        }
    }
}
