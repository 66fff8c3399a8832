package io.dentryguard.demo.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The mock server, in this process: the demo's default. */
class MockEmbeddedApiTest extends EmbeddedApiContract {
    @Override
    EmbeddedApi start(Path workDir) {
        return EmbeddedApi.start(ApiChoice.MOCK, workDir);
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
