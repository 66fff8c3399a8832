package io.dentryguard.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dentryguard.api.patch.StatusFieldsPatch;
import io.dentryguard.api.testing.MockApiServer;
import io.dentryguard.api.testing.Podman;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.operator.decide.NodeDecision;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator image (tools/images/build.sh) run as the chart runs its Deployment: the image's
 * non-root user, read-only root file system with nothing writable (no tmpfs on /tmp either: a
 * Kubernetes pod has none unless its spec mounts one), every capability dropped, no new privileges,
 * podman's default seccomp profile. Against fabric8's mock API server (CRUD) through a kubeconfig
 * mounted read-only, on the host network: it must serve /healthz and /metrics and do its job (taint
 * a Degraded node), which proves it needs nothing more.
 */
class OperatorImageIT {
    private static final Pattern LISTENING = Pattern.compile("metrics on :(\\d+)");
    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path dir;
    private Podman podman;
    private MockApiServer api;

    @AfterEach
    void removeTheContainerAndStopTheServer() {
        try {
            if (podman != null) {
                podman.close();
            }
        } finally {
            if (api != null) {
                api.close();
            }
        }
    }

    @Test
    void runsNonRootOnAReadOnlyRootWithNoCapabilityAndServesHealthzAndMetrics() throws Exception {
        podman = Podman.create();
        String image = podman.productImage(Path.of(System.getProperty("operator.jar")), "/opt/dentry-guard/lib/operator.jar");
        api = new MockApiServer();
        api.node("image-node");
        Path kubeconfig = api.kubeconfig(dir);

        String name = podman.containerName("dentry-guard-operator-it");
        long started = System.nanoTime();
        podman.require("run", "--detach", "--name", name,
                "--user", "65532", "--read-only", "--read-only-tmpfs=false", "--cap-drop=ALL", "--security-opt", "no-new-privileges",
                "--network", "host",
                "--volume", kubeconfig + ":/etc/dentry-guard/kubeconfig:ro", "--env", "KUBECONFIG=/etc/dentry-guard/kubeconfig",
                image, "operator", "--metrics-address", "127.0.0.1", "--metrics-port", "0", "--hold-down", "1s");
        int port = awaitListening(name);
        String url = "http://127.0.0.1:" + port;
        String healthz = await().atMost(START).pollInterval(Duration.ofMillis(200)).until(() -> get(url + "/healthz"), "200 ok\n"::equals);
        double healthySeconds = (System.nanoTime() - started) / 1e9;

        // A probe's report, as OperatorScenarioIT writes one: the object, then its status.
        NodeHealth report = new NodeHealth();
        report.getMetadata().setName("image-node");
        api.client().resource(report).create();
        StatusFieldsPatch.write(api.client(), "image-node", Map.of("verdict", "Degraded", "reasons", List.of("average hash chain 4.800"),
                "lastReportTime", Instant.now().toString()), Set.of(), false);
        awaitOrLog(name, () -> {
            var taints = api.client().nodes().withName("image-node").get().getSpec().getTaints();
            return taints != null && taints.stream().anyMatch(t -> NodeDecision.TAINT_KEY.equals(t.getKey()));
        });
        String metrics = get(url + "/metrics");
        Podman.Confinement confinement = podman.confinement(name);
        System.out.printf("operator image: /healthz %s after %.1f s; %s; node tainted; metrics %,d bytes%n",
                healthz.strip(), healthySeconds, confinement, metrics.length());

        assertThat(confinement.uid()).as("what the JVM runs as").isEqualTo("65532 65532 65532 65532");
        assertThat(confinement.effectiveCapabilities()).isEqualTo("0000000000000000");
        assertThat(confinement.boundingCapabilities()).isEqualTo("0000000000000000");
        assertThat(confinement.noNewPrivileges()).isTrue();
        assertThat(confinement.seccompFilter()).as("podman's default seccomp profile, as RuntimeDefault").isTrue();
        assertThat(confinement.rootReadOnly()).isTrue();
        assertThat(metrics).startsWith("200 ").contains("dentryguard_operator_actions_total{action=\"add_taint\",dry_run=\"false\"} 1.0",
                "jvm_memory_used_bytes{");
        assertThat(podman.logs(name)).as("nothing failed under these settings (its usual WARN lines aside)")
                .doesNotContain(" ERROR ", "Exception", "Read-only file system", "Permission denied");
    }

    /** The port the operator says it listens on (it picks a free one: the host network is shared). */
    private int awaitListening(String container) {
        awaitOrLog(container, () -> LISTENING.matcher(podman.logs(container)).find());
        Matcher m = LISTENING.matcher(podman.logs(container));
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private void awaitOrLog(String container, java.util.concurrent.Callable<Boolean> until) {
        try {
            await().atMost(START).pollInterval(Duration.ofMillis(200)).until(until);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the operator's container did not get there in " + START + "; its log:\n" + podman.logs(container), e);
        }
    }

    /** @return the answer's status code and body, or the failure to connect */
    private static String get(String url) throws InterruptedException {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
