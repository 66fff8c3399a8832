package io.dentryguard.probe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.testing.RealApiServer;
import io.dentryguard.api.testing.RealApiServerPerClass;
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
}
