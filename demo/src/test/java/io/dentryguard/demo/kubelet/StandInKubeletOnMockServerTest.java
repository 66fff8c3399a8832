package io.dentryguard.demo.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dentryguard.api.testing.MockApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link StandInKubelet} against fabric8's mock API server, which deletes a pod at once (no graceful deletion). */
class StandInKubeletOnMockServerTest {
    private static final String NODE = "demo-node";
    private PodmanRuntimeFixture fixture;
    private MockApiServer api;

    @BeforeEach
    void start() {
        fixture = new PodmanRuntimeFixture();
        api = new MockApiServer();
        fixture.kubelet(api.client, NODE);
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
        if (api != null) {
            api.close();
        }
    }

    private Pod pod(String name) {
        return api.client.pods().inNamespace("default").withName(name).get();
    }

    @Test
    void aPodIsStartedAndReportedRunningThroughTheStatusSubresource() {
        Pod created = api.client.resource(TestPods.onNode("victim", NODE, TestPods.VICTIM)).create();

        await().atMost(Duration.ofSeconds(60)).until(() -> pod("victim").getStatus() != null && "Running".equals(pod("victim").getStatus().getPhase()));
        assertThat(fixture.runtime.isRunning(created.getMetadata().getUid())).isTrue();
        assertThat(api.requests()).anyMatch(r -> r.method().equals("PATCH") && r.path().endsWith("/pods/victim/status"));
    }

    @Test
    void anImmediateDeleteRemovesTheContainerAndItsCgroups() {
        String uid = api.client.resource(TestPods.onNode("evicted", NODE, "sleep infinity")).create().getMetadata().getUid();
        await().atMost(Duration.ofSeconds(60)).until(() -> fixture.runtime.isRunning(uid));

        api.client.pods().inNamespace("default").withName("evicted").delete();

        await().atMost(Duration.ofSeconds(60)).until(() -> fixture.containersOfRun().isEmpty());
        assertThat(fixture.podCgroupDirectories(uid)).isEmpty();
        assertThat(pod("evicted")).isNull();
    }
}
