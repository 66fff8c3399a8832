package io.dentryguard.probe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.testing.MockApiServer;
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
                "--no-canary", "--no-attribution", "--state-dir", state.toString()};
    }

    @Test
    void theProbeCreatesAndWritesItsNodesNodeHealth() throws Exception {
        try (MockApiServer api = new MockApiServer()) {
            api.node("it-node");
            Path kubeconfig = api.kubeconfig(dir);

            ProbeProcess.Outcome run = ProbeProcess.run(ProbeProcess.command(args(dir.resolve("state"))),
                    Map.of("KUBECONFIG", kubeconfig.toString()), 120);

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            NodeHealth nh = api.client.resources(NodeHealth.class).withName("it-node").get();
            assertThat(nh).as(run.stderr()).isNotNull();
            assertThat(nh.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getName()).isEqualTo("it-node"));
            assertThat(nh.getStatus().getVerdict()).isNotNull();
            assertThat(nh.getStatus().getNegativeDentries()).isPositive();
            assertThat(nh.getStatus().getHashBuckets()).isPositive();
            assertThat(api.requests).noneMatch(r -> r.method().equals("PUT"));
        }
    }

    @Test
    void anUnreachableApiServerDoesNotStopTheProbe() throws Exception {
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
