package io.dentryguard.demo.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dentryguard.api.testing.RealApiServer;
import io.dentryguard.api.testing.RealApiServerPerClass;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link VirtualNodeKubelet} against a real kube-apiserver, and what kubectl shows of its pods. */
class VirtualNodeKubeletTest {
    private static final String NODE = "virtual-1";
    @RegisterExtension
    static final RealApiServerPerClass SERVER = new RealApiServerPerClass();
    private RealApiServer api;
    private VirtualNodeKubelet kubelet;

    @BeforeEach
    void start() {
        api = SERVER.api();
        if (api.client.nodes().withName(NODE).get() == null) {
            api.node(NODE);
        }
        kubelet = new VirtualNodeKubelet(api.client, NODE);
    }

    @AfterEach
    void stop() {
        kubelet.close();
    }

    private Pod pod(String name) {
        return api.client.pods().inNamespace("default").withName(name).get();
    }

    @Test
    void aPodOnTheVirtualNodeIsScheduledNotRunAndKubectlSaysSo() {
        api.client.resource(TestPods.onNode("shown", NODE, "sleep infinity")).create();

        await().atMost(Duration.ofSeconds(30)).until(() -> "VirtualNode".equals(pod("shown").getStatus().getReason()));
        Pod shown = pod("shown");
        assertThat(shown.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(shown.getStatus().getMessage()).isEqualTo(VirtualNodeKubelet.MESSAGE);
        assertThat(shown.getStatus().getConditions()).anyMatch(c -> c.getType().equals("PodScheduled") && c.getStatus().equals("True"))
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("False"));
        RealApiServer.KubectlRun wide = api.kubectl("get", "pods", "shown", "-o", "wide");
        assertThat(wide.output()).as(wide.output()).containsPattern("shown\\s+0/1\\s+VirtualNode\\s+0\\s+\\S+\\s+<none>\\s+" + NODE);
    }

    @Test
    void aGracefulDeleteOfAVirtualPodIsConfirmedSoItDoesNotHangTerminating() {
        api.client.resource(TestPods.onNode("gone", NODE, "sleep infinity")).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> "VirtualNode".equals(pod("gone").getStatus().getReason()));

        api.client.pods().inNamespace("default").withName("gone").withGracePeriod(30).delete();

        await().atMost(Duration.ofSeconds(30)).until(() -> pod("gone") == null);
    }
}
