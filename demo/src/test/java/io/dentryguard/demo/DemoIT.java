package io.dentryguard.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dentryguard.api.testing.Podman;
import io.dentryguard.api.testing.RealApiServer;
import io.dentryguard.demo.cluster.Kubectl;
import io.dentryguard.demo.host.HostChecks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's end-to-end test: {@code ./dentry-guard demo --json} run as a user runs it, with a small
 * flood (512 MiB limit: thresholds scaled to it and to this machine's dentries before it), real
 * containers, the real probe and operator as processes, and, while it runs, the real kubectl
 * against its API server. Then: the story in order, the offender (never the victim) reclaimed and
 * evicted, its replacement placed off the tainted node, the node untainted, and nothing left behind.
 */
class DemoIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theWholeStoryOnThisMachineLeavesNothingBehind(@TempDir Path kubectlCache) throws Exception {
        List<String> problems = HostChecks.ofThisHost().problems();
        assumeTrue(problems.isEmpty(), "this host cannot run the demo: " + problems);
        try (Podman podman = Podman.create()) {
            podman.assumeBaseImage();
        }
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "needs /usr/bin/kubectl (Debian: apt-get install kubernetes-client)");
        Path checkout = RealApiServer.checkoutRoot();
        boolean kubepodsBefore = Files.exists(HostChecks.MEMORY_CONTROLLER.resolve("kubepods"));
        List<String> containersBefore = demoContainers(checkout);
        long apiServersBefore = processesNamed("kube-apiserver");
        long etcdsBefore = processesNamed("etcd");

        ProcessBuilder pb = new ProcessBuilder(checkout.resolve("dentry-guard").toString(), "demo", "--json", "--flood-limit", "512MiB",
                "--timeout", "5m").redirectError(ProcessBuilder.Redirect.INHERIT);
        Process demo = pb.start();
        List<JsonNode> lines = new CopyOnWriteArrayList<>();
        List<String> notJson = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> read(demo, lines, notJson), "demo-output");
        reader.start();
        try {
            // While it runs: kubectl against its API server, as the demo's first line tells a user to.
            JsonNode started = await("the demo's first line").atMost(Duration.ofMinutes(3)).until(() -> event(lines, "started"), Optional::isPresent).get();
            Kubectl kubectl = new Kubectl(Path.of(started.path("data").path("kubeconfig").asText()), kubectlCache);
            String node = started.path("data").path("node").asText();
            await("the flood").atMost(Duration.ofMinutes(4)).until(() -> event(lines, "floodStarted").isPresent());
            String nh = await("kubectl get nh with the probe's figures").atMost(Duration.ofMinutes(1))
                    .until(() -> kubectl.run("get", "nh").output(), out -> out.contains(node) && out.matches("(?s).*(Healthy|Warning|Degraded).*"));
            assertThat(nh).contains("VERDICT");
            assertThat(kubectl.run("get", "pods", "-A", "-o", "wide").output()).contains("victim-", "offender-", node);

            assertThat(demo.waitFor(8, TimeUnit.MINUTES)).as("the demo ends within 8 minutes").isTrue();
            reader.join(10_000);
            assertThat(notJson).as("every line of --json is JSON").isEmpty();
            assertThat(demo.exitValue()).as("exit code; the timeline:\n%s", timeline(lines)).isZero();

            List<String> events = lines.stream().map(l -> l.path("event").asText()).toList();
            assertThat(events).containsSubsequence("started", "baseline", "floodStarted", "taintAdded", "reclaimRequested", "reclaimAnswered",
                    "evicted", "replacementPlaced", "recovered", "taintRemoved", "summary");
            assertThat(lines).filteredOn(l -> l.path("event").asText().equals("verdictChanged"))
                    .anySatisfy(l -> assertThat(l.path("data").path("to").asText()).isEqualTo("Degraded"));
            assertThat(events).as("the flood ran its course under the ladder, not the demo's own limit").doesNotContain("floodLimitReached");
            assertThat(lines).filteredOn(l -> l.path("event").asText().equals("offenderNamed")).isNotEmpty()
                    .allSatisfy(l -> assertThat(l.path("data").path("pod").asText()).startsWith("demo/offender-"));
            assertThat(lines).filteredOn(l -> l.path("event").asText().equals("reclaimRequested")
                            && l.path("data").path("scope").asText().equals("Pod"))
                    .isNotEmpty().allSatisfy(l -> assertThat(l.path("data").path("pod").asText()).startsWith("demo/offender-"));
            assertThat(lines).filteredOn(l -> l.path("event").asText().equals("reclaimAnswered"))
                    .anySatisfy(l -> assertThat(l.path("data").path("result").asText()).isEqualTo("Done"));
            assertThat(lines).filteredOn(l -> l.path("event").asText().equals("evicted")).singleElement()
                    .satisfies(l -> assertThat(l.path("data").path("pod").asText()).startsWith("demo/offender-"));
            assertThat(lines).filteredOn(l -> l.path("event").asText().equals("podRemoved")).isNotEmpty()
                    .allSatisfy(l -> assertThat(l.path("data").path("pod").asText()).startsWith("offender-"));
            assertThat(lines).filteredOn(l -> l.path("event").asText().equals("replacementPlaced")).singleElement()
                    .satisfies(l -> assertThat(l.path("data").path("node").asText()).isEqualTo("virtual-node-1").isNotEqualTo(node))
                    .satisfies(l -> assertThat(l.path("data").path("owner").asText()).startsWith("offender-"));
            JsonNode summary = event(lines, "summary").orElseThrow();
            assertThat(summary.path("data").path("complete").asBoolean()).isTrue();
            assertThat(events.lastIndexOf("taintRemoved")).as("the node is untainted at the end").isGreaterThan(events.lastIndexOf("taintAdded"));

            // Nothing left behind.
            assertThat(Path.of(started.path("data").path("workDir").asText())).doesNotExist();
            assertThat(demoContainers(checkout)).isEqualTo(containersBefore);
            assertThat(Files.exists(HostChecks.MEMORY_CONTROLLER.resolve("kubepods"))).isEqualTo(kubepodsBefore);
            for (JsonNode named : lines.stream().filter(l -> l.path("event").asText().equals("offenderNamed")).toList()) {
                assertThat(HostChecks.MEMORY_CONTROLLER.resolve("kubepods/besteffort/pod" + named.path("data").path("podUid").asText()))
                        .as("the offender's pod cgroup").doesNotExist();
            }
            assertThat(processesMentioning(started.path("data").path("workDir").asText())).isEmpty();
            assertThat(processesNamed("kube-apiserver")).isEqualTo(apiServersBefore);
            assertThat(processesNamed("etcd")).isEqualTo(etcdsBefore);
        } finally {
            if (demo.isAlive()) {
                demo.destroy(); // its shutdown hook cleans up
                demo.waitFor(2, TimeUnit.MINUTES);
            }
        }
    }

    private static void read(Process demo, List<JsonNode> lines, List<String> notJson) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                System.out.println("demo: " + line);
                try {
                    lines.add(JSON.readTree(line));
                } catch (IOException e) {
                    notJson.add(line);
                }
            }
        } catch (IOException e) {
            notJson.add("reading failed: " + e);
        }
    }

    private static Optional<JsonNode> event(List<JsonNode> lines, String event) {
        return lines.stream().filter(l -> l.path("event").asText().equals(event)).findFirst();
    }

    private static String timeline(List<JsonNode> lines) {
        return String.join("\n", lines.stream().map(l -> l.path("t").asText() + " " + l.path("event").asText() + " " + l.path("message").asText())
                .toList());
    }

    /** The demo's containers: named as the kubelet names them (k8s_...). */
    private static List<String> demoContainers(Path checkout) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("podman", "ps", "-a", "--format", "{{.Names}}").redirectErrorStream(true);
        pb.environment().put("CONTAINERS_CONF", checkout.resolve("tools/images/containers.conf").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(1, TimeUnit.MINUTES);
        return out.lines().filter(n -> n.startsWith("k8s_")).sorted().toList();
    }

    private static long processesNamed(String name) throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> comm(p).equals(name)).count();
        }
    }

    private static List<String> processesMentioning(String text) throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).map(DemoIT::cmdline).filter(c -> c.contains(text)).toList();
        }
    }

    private static String comm(Path proc) {
        try {
            return Files.readString(proc.resolve("comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static String cmdline(Path proc) {
        try {
            return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
