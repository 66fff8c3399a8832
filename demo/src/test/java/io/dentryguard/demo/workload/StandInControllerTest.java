package io.dentryguard.demo.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dentryguard.api.testing.MockApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StandInControllerTest {
    private MockApiServer api;
    private StandInController controller;
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        api = new MockApiServer();
        api.create(MockApiServer.nodeBuilder("host").build());
        api.create(MockApiServer.nodeBuilder(DemoNodes.VIRTUAL).build());
        controller = new StandInController(api.client(), DemoWorkloads.NAMESPACE, List.of("host", DemoNodes.VIRTUAL), (who, e) -> errors.add(e));
        controller.start();
    }

    @AfterEach
    void stop() {
        controller.close();
        api.close();
    }

    @Test
    void aReplicaSetGetsOnePodOnTheHostOwnedByIt() {
        var rs = api.client().apps().replicaSets().resource(DemoWorkloads.victim()).create();

        Pod pod = await().atMost(Duration.ofSeconds(10)).until(this::pods, p -> !p.isEmpty()).get(0);

        assertThat(pod.getSpec().getNodeName()).isEqualTo("host");
        assertThat(pod.getMetadata().getName()).startsWith(rs.getMetadata().getName() + "-");
        assertThat(pod.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(rs.getMetadata().getUid()))
                .satisfies(o -> assertThat(o.getController()).isTrue());
        assertThat(pod.getMetadata().getLabels()).containsEntry("app", DemoWorkloads.VICTIM);
        // One pass later there is still one: a live pod counts.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> pods().size() == 1);
        assertThat(errors).isEmpty();
    }

    @Test
    void aDeletedPodIsReplacedOnTheNodeWhoseTaintItTolerates() {
        api.client().apps().replicaSets().resource(DemoWorkloads.victim()).create();
        Pod first = await().atMost(Duration.ofSeconds(10)).until(this::pods, p -> !p.isEmpty()).get(0);
        api.client().nodes().withName("host").edit(n -> {
            n.getSpec().setTaints(List.of(new TaintBuilder().withKey("dentryguard.io/dentry-pressure").withValue("dentry-guard")
                    .withEffect("NoSchedule").build()));
            return n;
        });

        api.client().pods().resource(first).delete();

        Pod replacement = await().atMost(Duration.ofSeconds(10))
                .until(this::pods, p -> p.size() == 1 && !p.get(0).getMetadata().getUid().equals(first.getMetadata().getUid())).get(0);
        assertThat(replacement.getSpec().getNodeName()).isEqualTo(DemoNodes.VIRTUAL);
        assertThat(errors).isEmpty();
    }

    @Test
    void noPodIsMadeWhileNoNodeFits() {
        for (String node : List.of("host", DemoNodes.VIRTUAL)) {
            api.client().nodes().withName(node).edit(n -> {
                n.getSpec().setTaints(List.of(new TaintBuilder().withKey("k").withEffect("NoSchedule").build()));
                return n;
            });
        }
        api.client().apps().replicaSets().resource(DemoWorkloads.victim()).create();

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> pods().isEmpty());
        api.client().nodes().withName(DemoNodes.VIRTUAL).edit(n -> {
            n.getSpec().setTaints(List.of());
            return n;
        });
        assertThat(await().atMost(Duration.ofSeconds(10)).until(this::pods, p -> !p.isEmpty()).get(0).getSpec().getNodeName())
                .isEqualTo(DemoNodes.VIRTUAL);
    }

    private List<Pod> pods() {
        return api.client().pods().inNamespace(DemoWorkloads.NAMESPACE).list().getItems();
    }
}
