package io.dentryguard.probe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.testing.MockApiServer;
import io.dentryguard.probe.testing.RealKernel;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged probe with --report-node-health against an API server (fabric8's mock) through a kubeconfig. */
class ClusterModeIT {
    @TempDir
    Path dir;

    private static String[] args(Path state) {
        return new String[] {"probe", "--report-node-health", "--node", "it-node", "--json", "--samples", "3", "--interval", "1s",
                "--no-canary", "--no-offenders", "--state-dir", state.toString()};
    }

    /** Runs the packaged probe for three samples against {@code api} and returns the NodeHealth it wrote. */
    private NodeHealth probeReportsTo(MockApiServer api) throws Exception {
        RealKernel.assumeLinux();
        api.node("it-node");
        ProbeProcess.Outcome run = ProbeProcess.run(ProbeProcess.command(args(dir.resolve("state"))),
                Map.of("KUBECONFIG", api.kubeconfig(dir).toString()), 120);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        NodeHealth nh = api.client.resources(NodeHealth.class).withName("it-node").get();
        assertThat(nh).as(run.stderr()).isNotNull();
        return nh;
    }

    @Test
    void theProbeCreatesAndWritesItsNodesNodeHealth() throws Exception {
        try (MockApiServer api = new MockApiServer()) {
            NodeHealth nh = probeReportsTo(api);
            assertThat(nh.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getName()).isEqualTo("it-node"));
            assertThat(nh.getStatus().getVerdict()).isNotNull();
            if (RealKernel.countsNegatives()) {
                assertThat(nh.getStatus().getNegativeDentries()).isPositive();
            } else {
                assertThat(nh.getStatus().getNegativeDentries()).as("not counted before Linux 5.0").isNull();
            }
            assertThat(nh.getStatus().getHashBuckets()).isPositive();
            assertThat(api.requests).noneMatch(r -> r.method().equals("PUT"));
        }
    }

    @Test
    void kubectlReadsWhatTheProbeWroteByItsShortName() throws Exception {
        Path kubectl = Path.of("/usr/bin/kubectl");
        assumeTrue(Files.isExecutable(kubectl), "no /usr/bin/kubectl on this machine");
        try (MockApiServer api = new MockApiServer()) {
            NodeHealth nh = probeReportsTo(api);
            // What the on-call engineer types (the mock needs its discovery documents answered by hand).
            answerDiscovery(api);
            Process p = new ProcessBuilder(kubectl.toString(), "--kubeconfig", dir.resolve("kubeconfig").toString(), "--token",
                    "test-token", "get", "nh", "it-node", "-o", "jsonpath={.status.verdict} {.status.hashBuckets}")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            assertThat(p.waitFor()).as(out).isZero();
            assertThat(out).isEqualTo(nh.getStatus().getVerdict().name().charAt(0)
                    + nh.getStatus().getVerdict().name().substring(1).toLowerCase() + " " + nh.getStatus().getHashBuckets());
        }
    }

    /** The discovery documents kubectl reads before it can resolve the short name "nh". */
    private static void answerDiscovery(MockApiServer api) {
        String group = "{\"name\":\"dentryguard.io\",\"versions\":[{\"groupVersion\":\"dentryguard.io/v1alpha1\","
                + "\"version\":\"v1alpha1\"}],\"preferredVersion\":{\"groupVersion\":\"dentryguard.io/v1alpha1\",\"version\":\"v1alpha1\"}}";
        String[][] answers = {
                {"/version", "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0\"}"},
                {"/api", "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}"},
                {"/apis", "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[" + group + "]}"},
                {"/api/v1", "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":[]}"},
                {"/apis/dentryguard.io/v1alpha1", "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\","
                        + "\"groupVersion\":\"dentryguard.io/v1alpha1\",\"resources\":[{\"name\":\"nodehealths\","
                        + "\"singularName\":\"nodehealth\",\"namespaced\":false,\"kind\":\"NodeHealth\",\"shortNames\":[\"nh\"],"
                        + "\"verbs\":[\"get\",\"list\",\"watch\",\"create\",\"patch\"]}]}"}};
        for (String[] a : answers) {
            api.server.expect().get().withPath(a[0]).andReturn(200, a[1]).always();
            api.server.expect().get().withPath(a[0] + "?timeout=32s").andReturn(200, a[1]).always();
        }
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
