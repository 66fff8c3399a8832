package io.dentryguard.demo.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.Verdict;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The mock server, in this process: the demo's default. */
class MockEmbeddedApiTest extends EmbeddedApiContract {
    @Override
    EmbeddedApi start(Path workDir) {
        return EmbeddedApi.start(ApiChoice.MOCK, workDir);
    }

    @Test
    void watchesMergeAndJsonPatchesAndTheStatusSubresourceStillWork() {
        List<String> seen = new CopyOnWriteArrayList<>();
        var nodeHealths = api.client().resources(NodeHealth.class);
        try (Watch watch = nodeHealths.watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, NodeHealth resource) {
                seen.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            NodeHealth created = new NodeHealth();
            created.setMetadata(new ObjectMetaBuilder().withName("watched").build());
            nodeHealths.resource(created).create();
            nodeHealths.withName("watched").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\": {\"paused\": true}}");
            nodeHealths.withName("watched").subresource("status").patch(PatchContext.of(PatchType.JSON),
                    "[{\"op\": \"add\", \"path\": \"/status\", \"value\": {\"verdict\": \"Critical\"}}]");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(seen).contains("ADDED watched", "MODIFIED watched"));
        }
        NodeHealth read = nodeHealths.withName("watched").get();
        assertThat(read.getSpec().isPaused()).isTrue();
        assertThat(read.getStatus().getVerdict()).isEqualTo(Verdict.CRITICAL);
    }

    @Test
    void saysItIsTheMock() {
        assertThat(api.description()).isEqualTo("fabric8 mock server, CRUD mode (in process)");
    }

    @Test
    void anEvictedPodIsDeletedAtOnce() {
        DemoObjects.pod(api.client(), "evicted-at-once");
        assertThat(api.client().pods().inNamespace(DemoObjects.NAMESPACE).withName("evicted-at-once").evict()).isTrue();
        assertThat(api.client().pods().inNamespace(DemoObjects.NAMESPACE).withName("evicted-at-once").get()).isNull();
    }

    @Test
    void evictingAPodThatIsNotThereIsAnswered404WithoutWaiting() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThatThrownBy(
                () -> api.client().pods().inNamespace(DemoObjects.NAMESPACE).withName("never-was").evict())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404)));
    }
}
