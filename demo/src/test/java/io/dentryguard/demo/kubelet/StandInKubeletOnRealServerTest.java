package io.dentryguard.demo.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dentryguard.api.testing.RealApiServer;
import io.dentryguard.api.testing.RealApiServerPerClass;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link StandInKubelet} against a real kube-apiserver, with real podman containers: the server
 * marks a deleted pod that is bound to a node (deletionTimestamp) and waits for its kubelet.
 */
class StandInKubeletOnRealServerTest {
    private static final String NODE = "demo-node";
    @RegisterExtension
    static final RealApiServerPerClass SERVER = new RealApiServerPerClass();
    private static KubernetesClient client;
    private PodmanRuntimeFixture fixture;

    @BeforeAll
    static void node() {
        RealApiServer api = SERVER.api();
        api.node(NODE);
        client = api.client;
    }

    @BeforeEach
    void kubelet() {
        fixture = new PodmanRuntimeFixture();
        fixture.kubelet(client, NODE);
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    static Pod pod(String name) {
        return client.pods().inNamespace("default").withName(name).get();
    }

    static boolean condition(Pod pod, String type, String status) {
        return pod.getStatus().getConditions().stream().map(PodCondition::getType).anyMatch(type::equals)
                && pod.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals(type) && c.getStatus().equals(status));
    }

    @Test
    void aPodBoundToTheNodeRunsInItsPodCgroupAndIsReportedRunningWithItsContainerId() {
        Pod created = client.resource(TestPods.onNode("victim", NODE, TestPods.VICTIM)).create();
        String uid = created.getMetadata().getUid();

        await().atMost(Duration.ofSeconds(60)).until(() -> "Running".equals(pod("victim").getStatus().getPhase()));

        Pod running = pod("victim");
        String containerId = running.getStatus().getContainerStatuses().get(0).getContainerID();
        assertThat(containerId).startsWith("podman://");
        assertThat(fixture.memoryCgroup(uid).resolve("libpod-" + containerId.substring("podman://".length()))).isDirectory();
        assertThat(running.getStatus().getContainerStatuses().get(0).getReady()).isTrue();
        assertThat(running.getStatus().getContainerStatuses().get(0).getState().getRunning().getStartedAt()).isNotBlank();
        assertThat(running.getStatus().getStartTime()).isNotBlank();
        assertThat(running.getStatus().getHostIP()).isNotBlank();
        assertThat(condition(running, "Ready", "True")).isTrue();
        assertThat(condition(running, "PodScheduled", "True")).isTrue();
        assertThat(fixture.runtime.isRunning(uid)).isTrue();
    }

    @Test
    void aGracefulDeleteRemovesTheContainerAndItsCgroupsThenThePodObjectIsGone() {
        String uid = client.resource(TestPods.onNode("evicted", NODE, "sleep infinity")).create().getMetadata().getUid();
        await().atMost(Duration.ofSeconds(60)).until(() -> "Running".equals(pod("evicted").getStatus().getPhase()));

        client.pods().inNamespace("default").withName("evicted").withGracePeriod(30).delete();

        await().atMost(Duration.ofSeconds(60)).until(() -> pod("evicted") == null);
        assertThat(fixture.containersOfRun()).isEmpty();
        assertThat(fixture.podCgroupDirectories(uid)).isEmpty();
    }

    @Test
    void aPodWhoseContainerCannotStartIsFailedWithWhyAndTheNextPodStillRuns() {
        Pod broken = TestPods.onNode("broken", NODE, "true");
        broken.getSpec().getContainers().get(0).setImage("localhost/no-such-image:1");
        client.resource(broken).create();
        client.resource(TestPods.onNode("fine", NODE, "sleep infinity")).create();

        await().atMost(Duration.ofSeconds(60)).until(() -> "Failed".equals(pod("broken").getStatus().getPhase()));
        assertThat(pod("broken").getStatus().getMessage()).contains("localhost/no-such-image:1");
        await().atMost(Duration.ofSeconds(60)).until(() -> "Running".equals(pod("fine").getStatus().getPhase()));
        client.pods().inNamespace("default").withName("broken").delete();
        client.pods().inNamespace("default").withName("fine").delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> pod("fine") == null && pod("broken") == null);
    }

    @Test
    void aPodOfAnotherNodeIsLeftAlone() {
        client.resource(TestPods.onNode("elsewhere", "other-node", "sleep infinity")).create();
        client.resource(TestPods.onNode("here", NODE, "sleep infinity")).create();

        await().atMost(Duration.ofSeconds(60)).until(() -> "Running".equals(pod("here").getStatus().getPhase()));
        assertThat(pod("elsewhere").getStatus().getPhase()).isEqualTo("Pending");
        assertThat(fixture.containersOfRun()).hasSize(1);
        client.pods().inNamespace("default").withName("elsewhere").withGracePeriod(0).delete();
        client.pods().inNamespace("default").withName("here").delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> pod("here") == null);
    }
}
