package io.dentryguard.probe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.ReclaimOutcome;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import static org.awaitility.Awaitility.await;
import io.dentryguard.api.testing.RealApiServer;
import io.dentryguard.api.testing.RealApiServerPerClass;
import io.dentryguard.probe.testing.KubeletCgroupTree;
import io.dentryguard.probe.testing.RealKernel;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged probe with --report-node-health against a real API server, as its own service account
 * with a real token under the roles of deploy/rbac.yaml: the roles are enough for its job.
 */
class ClusterModeIT {
    private static final String PROBE = "system:serviceaccount:dentry-guard:dentry-guard-probe";
    @RegisterExtension
    static final RealApiServerPerClass SERVER = new RealApiServerPerClass();
    private static RealApiServer api;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        api = SERVER.api();
        api.apply("deploy/rbac.yaml");
        api.node("it-node");
    }


    private static String[] args(Path state) {
        return new String[] {"probe", "--report-node-health", "--node", "it-node", "--json", "--samples", "3", "--interval", "1s",
                "--no-canary", "--no-offenders", "--state-dir", state.toString()};
    }

    /** Runs the packaged probe for three samples as its service account and returns the NodeHealth it wrote. */
    private NodeHealth probeReports() throws Exception {
        RealKernel.assumeLinux();
        ProbeProcess.Outcome run = ProbeProcess.run(ProbeProcess.command(args(dir.resolve("state"))),
                Map.of("KUBECONFIG", api.kubeconfigAs(dir, "dentry-guard", "dentry-guard-probe").toString()), 120);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).doesNotContain("cannot write");
        NodeHealth nh = api.client.resources(NodeHealth.class).withName("it-node").get();
        assertThat(nh).as(run.stderr()).isNotNull();
        return nh;
    }

    @Test
    void theProbeCreatesAndWritesItsNodesNodeHealth() throws Exception {
        NodeHealth nh = probeReports();
        assertThat(nh.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getName()).isEqualTo("it-node");
            assertThat(o.getUid()).isEqualTo(api.client.nodes().withName("it-node").get().getMetadata().getUid());
        });
        assertThat(nh.getStatus().getVerdict()).isNotNull();
        if (RealKernel.countsNegatives()) {
            assertThat(nh.getStatus().getNegativeDentries()).isPositive();
        } else {
            assertThat(nh.getStatus().getNegativeDentries()).as("not counted before Linux 5.0").isNull();
        }
        assertThat(nh.getStatus().getHashBuckets()).isPositive();
        List<RealApiServer.AuditedRequest> byProbe = api.audit().stream().filter(r -> r.user().equals(PROBE)).toList();
        assertThat(byProbe).as("its calls, none refused").isNotEmpty().allSatisfy(r -> assertThat(r.code()).as(r.request().toString()).isNotIn(401, 403));
        assertThat(byProbe).as("never a whole-object write").noneMatch(r -> r.request().method().equals("PUT"));
    }

    @Test
    void kubectlReadsWhatTheProbeWroteByItsShortName() throws Exception {
        NodeHealth nh = probeReports();
        // What the on-call engineer types.
        RealApiServer.KubectlRun run = api.kubectl("get", "nh", "it-node", "-o", "jsonpath={.status.verdict} {.status.hashBuckets}");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output().strip()).isEqualTo(nh.getStatus().getVerdict().displayName() + " " + nh.getStatus().getHashBuckets());
    }

    @Test
    void anUnreachableApiServerDoesNotStopTheProbe() throws Exception {
        RealKernel.assumeLinux();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: gone, cluster: {server: "http://127.0.0.1:%d"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: gone, context: {cluster: gone, user: u}}]
                current-context: gone
                """.formatted(closedPort));

        ProbeProcess.Outcome run = ProbeProcess.run(ProbeProcess.command(args(dir.resolve("state"))),
                Map.of("KUBECONFIG", kubeconfig.toString()), 120);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout().lines().filter(l -> l.startsWith("{"))).as("every sample still printed").hasSize(3);
        assertThat(run.stderr()).contains("NodeHealth it-node: cannot write").contains("still measuring, retrying in");
    }

    /** Starts the packaged probe reporting for it-node until stopped, with {@code extra} options. */
    private Process probeRunning(String... extra) throws Exception {
        RealKernel.assumeLinux();
        List<String> cmd = new ArrayList<>(ProbeProcess.command("probe", "--report-node-health", "--node", "it-node", "--json",
                "--samples", "120", "--interval", "1s", "--no-canary", "--no-offenders", "--state-dir", dir.resolve("state").toString()));
        cmd.addAll(List.of(extra));
        ProcessBuilder b = new ProcessBuilder(cmd).redirectOutput(dir.resolve("probe.out").toFile())
                .redirectError(dir.resolve("probe.err").toFile());
        b.environment().put("KUBECONFIG", api.kubeconfigAs(dir, "dentry-guard", "dentry-guard-probe").toString());
        Process p = b.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            NodeHealth nh = api.client.resources(NodeHealth.class).withName("it-node").get();
            return nh != null && nh.getStatus() != null && nh.getStatus().getLastReportTime() != null
                    && Files.readString(dir.resolve("probe.err")).contains("reclaim: can perform");
        });
        return p;
    }

    /** Writes spec.reclaim as the operator would (here as cluster admin) and waits for the probe's answer. */
    private ReclaimOutcome ask(String scope, String podUid) throws Exception {
        String id = UUID.randomUUID().toString();
        api.client.resources(NodeHealth.class).withName("it-node").patch(PatchContext.of(PatchType.JSON_MERGE), """
                {"spec": {"reclaim": {"id": "%s", "scope": "%s", "podUid": %s, "podNamespace": "default", "podName": "flooder",
                 "requestedAt": "%s"}}}""".formatted(id, scope, podUid == null ? "null" : "\"" + podUid + "\"", Instant.now()));
        return await().atMost(Duration.ofSeconds(60)).until(() -> {
            NodeHealth nh = api.client.resources(NodeHealth.class).withName("it-node").get();
            return nh.getStatus() == null ? null : nh.getStatus().getReclaimOutcome();
        }, o -> o != null && id.equals(o.getId()));
    }

    @Test
    void aProbeWithoutReclaimAnswersARequestRefusedAndSaysWhy() throws Exception {
        Process probe = probeRunning();
        try {
            ReclaimOutcome o = ask("Pod", UUID.randomUUID().toString());
            System.out.println("answer: " + o.getResult() + " " + o.getMessage());
            assertThat(o.getResult()).isEqualTo(ReclaimOutcome.Result.REFUSED);
            assertThat(o.getMessage()).contains("off (--reclaim-pods not given)");
            NodeHealth nh = api.client.resources(NodeHealth.class).withName("it-node").get();
            assertThat(nh.getStatus().getReclaimScopes()).isEmpty();
            assertThat(nh.getStatus().getReclaimLimits()).contains("Pod: off").contains("Node: off");
            assertThat(Files.readString(dir.resolve("probe.err"))).contains("reclaim: can perform no scope");
            List<RealApiServer.AuditedRequest> byProbe = api.audit().stream().filter(r -> r.user().equals(PROBE)).toList();
            assertThat(byProbe).allSatisfy(r -> assertThat(r.code()).as(r.request().toString()).isNotIn(401, 403));
        } finally {
            probe.destroy();
            probe.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Root and the v1 memory controller: a real kubelet-style pod cgroup, flooded, reclaimed on request. */
    @Test
    void aProbeWithReclaimPodsFreesThePodsNegativesOnRequest() throws Exception {
        RealKernel.assumeRootOnLinux();
        RealKernel.assumeCountsNegatives();
        String uid = UUID.randomUUID().toString();
        Path scratch = RealKernel.scratchDirectory("dentry-guard-cluster-reclaim-");
        try (KubeletCgroupTree tree = KubeletCgroupTree.create("dentry-guard-cluster-it")) {
            Path container = tree.container("burstable", uid);
            Process flood = tree.startIn(container, scratch.resolve("flood.log"), List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-jar", ProbeProcess.jar().toString(),
                    "flood", "--dir", Files.createDirectories(scratch.resolve("flood")).toString(), "--count", "300000"));
            assertThat(flood.waitFor(120, TimeUnit.SECONDS)).isTrue();
            tree.own(probeRunning("--reclaim-pods"));
            assertThat(Files.readString(dir.resolve("probe.err"))).contains("reclaim: can perform scope Pod");
            ReclaimOutcome o = ask("Pod", uid);
            System.out.println("answer: " + o.getResult() + " " + o.getMessage());
            assertThat(o.getResult()).as(o.getMessage()).isEqualTo(ReclaimOutcome.Result.DONE);
            assertThat(o.getFreedNegativeDentries()).isGreaterThan(250_000L);
            assertThat(o.getFreedBytes()).isGreaterThan(50_000_000L);
            assertThat(api.client.resources(NodeHealth.class).withName("it-node").get().getStatus().getReclaimScopes())
                    .containsExactly(io.dentryguard.api.v1alpha1.ReclaimRequest.Scope.POD);
        } finally {
            RealKernel.delete(scratch);
        }
    }
}
