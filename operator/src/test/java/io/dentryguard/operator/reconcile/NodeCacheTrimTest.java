package io.dentryguard.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dentryguard.api.testing.MockApiServer;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.observe.NodeReader;
import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NodeCacheTrimTest {
    private static final Taint OURS = new Taint("NoSchedule", "dentryguard.io/dentry-pressure", null, "dentry-guard");
    private static final Taint OTHERS_WITH_OUR_KEY = new Taint("NoSchedule", "dentryguard.io/dentry-pressure", null, "manual");
    private static final Taint FOREIGN = new Taint("NoExecute", "example.com/maintenance", null, "true");

    /** A Node as a cloud provider's kubelet registers it, with the operator's taint and condition on it. */
    private static Node fullNode(String name, Taint... taints) {
        return new NodeBuilder()
                .withNewMetadata().withName(name).withUid("6a1f-" + name).withResourceVersion("4711")
                .addToLabels("kubernetes.io/hostname", name).addToLabels("dentryguard.io/ignore", "true")
                .addToAnnotations("csi.volume.kubernetes.io/nodeid", "{\"ebs.csi.aws.com\":\"i-0bd39a4819c5469ff\"}")
                .addNewManagedField().withManager("kubelet").withOperation("Update").withApiVersion("v1").endManagedField()
                .endMetadata()
                .withNewSpec().withProviderID("aws:///eu-west-1a/i-0bd39a4819c5469ff").withPodCIDR("10.244.1.0/24")
                .withTaints(taints).endSpec()
                .withNewStatus()
                .addNewAddress().withType("InternalIP").withAddress("10.12.0.4").endAddress()
                .withCapacity(Map.of("cpu", new Quantity("8"))).withAllocatable(Map.of("cpu", new Quantity("7910m")))
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
                .addNewCondition().withType("DentryCachePressure").withStatus("True").withReason("Degraded")
                .withMessage("average hash chain 4.800").withLastTransitionTime("2026-11-30T06:00:00Z").endCondition()
                .withImages(IntStream.range(0, 50).mapToObj(i -> new ContainerImage(
                        List.of("registry.example/app-" + i + "@sha256:" + "0".repeat(64), "registry.example/app-" + i + ":v1"),
                        100_000_000L)).toList())
                .withNewNodeInfo().withKubeletVersion("v1.31.2").withBootID("7c1e0a4b").endNodeInfo()
                .endStatus().build();
    }

    @Test
    void keepsWhatDecidingReadsAndDropsTheRest() throws Exception {
        Node full = fullNode("node-a", FOREIGN, OURS);

        Node trimmed = NodeCacheTrim.trim(full);

        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(Serialization.asJson(trimmed))).isEqualTo(json.readTree("""
                {"apiVersion": "v1", "kind": "Node",
                 "metadata": {"name": "node-a", "uid": "6a1f-node-a", "resourceVersion": "4711",
                              "labels": {"kubernetes.io/hostname": "node-a", "dentryguard.io/ignore": "true"}},
                 "spec": {"taints": [{"effect": "NoExecute", "key": "example.com/maintenance", "value": "true"},
                                     {"effect": "NoSchedule", "key": "dentryguard.io/dentry-pressure", "value": "dentry-guard"}]},
                 "status": {"conditions": [
                     {"type": "Ready", "status": "True", "reason": "KubeletReady"},
                     {"type": "DentryCachePressure", "status": "True", "reason": "Degraded",
                      "message": "average hash chain 4.800", "lastTransitionTime": "2026-11-30T06:00:00Z"}]}}
                """));
        assertThat(Serialization.asJson(trimmed).length()).as("of %d characters", Serialization.asJson(full).length())
                .isLessThan(Serialization.asJson(full).length() / 10);
        assertThat(full.getStatus().getImages()).as("the Node it was made from is left as it was").hasSize(50);
    }

    @Test
    void decidingSeesTheSameNodeInTheCacheAsInTheApi() {
        NodeHealth nh = new NodeHealth();
        nh.getMetadata().setName("node-a");
        NodeHealthStatus status = new NodeHealthStatus();
        status.setVerdict(Verdict.DEGRADED);
        status.setLastReportTime("2026-11-30T06:00:00Z");
        nh.setStatus(status);
        List<Node> nodes = List.of(fullNode("node-a", FOREIGN, OURS, OTHERS_WITH_OUR_KEY), fullNode("node-a"),
                MockApiServer.nodeBuilder("node-a").build(), new NodeBuilder().withNewMetadata().withName("node-a").endMetadata().build());
        for (Node full : nodes) {
            assertThat(NodeReader.situation(nh, NodeCacheTrim.trim(full), 10, 1)).isEqualTo(NodeReader.situation(nh, full, 10, 1));
        }
    }

    @Test
    void anInformerKeepsTrimmedNodesIndexesThemAndHandsOutWatchedOnesWhole() {
        try (MockApiServer api = new MockApiServer()) {
            api.client.nodes().resource(fullNode("node-a")).create();
            List<Node> handed = new CopyOnWriteArrayList<>();
            SharedIndexInformer<Node> informer = api.client.nodes().runnableInformer(0).itemStore(new NodeCacheTrim());
            informer.addIndexers(Map.of("ours", n -> NodeReader.ourTaint(n).isPresent() ? List.of("tainted") : List.of()));
            informer.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Node n) {
                    handed.add(n);
                }

                @Override
                public void onUpdate(Node old, Node n) {
                    handed.add(n);
                }

                @Override
                public void onDelete(Node n, boolean unknown) {}
            });
            informer.run();
            try {
                await().atMost(Duration.ofSeconds(20)).until(informer::hasSynced);
                Node cached = informer.getStore().getByKey("node-a");
                assertThat(cached.getStatus().getImages()).isEmpty();
                assertThat(cached.getMetadata().getLabels()).containsEntry("dentryguard.io/ignore", "true");
                assertThat(cached.getStatus().getConditions()).extracting(c -> c.getType()).containsExactly("Ready", "DentryCachePressure");

                api.client.nodes().resource(fullNode("node-b")).create();
                await().atMost(Duration.ofSeconds(20)).until(() -> handed.stream().anyMatch(n -> n.getMetadata().getName().equals("node-b")));
                assertThat(handed.get(handed.size() - 1).getStatus().getImages()).as("a watch event carries the whole Node").hasSize(50);
                assertThat(informer.getStore().getByKey("node-b").getStatus().getImages()).isEmpty();

                api.client.nodes().withName("node-a").patch(PatchContext.of(PatchType.JSON_MERGE),
                        Serialization.asJson(Map.of("spec", Map.of("taints", List.of(OURS)))));
                await().atMost(Duration.ofSeconds(20)).until(() -> informer.getIndexer().byIndex("ours", "tainted").size() == 1);
                assertThat(informer.getStore().getByKey("node-a").getSpec().getTaints()).containsExactly(OURS);
                assertThat(informer.getStore().getByKey("node-a").getMetadata().getResourceVersion())
                        .isEqualTo(api.client.nodes().withName("node-a").get().getMetadata().getResourceVersion());

                api.client.nodes().withName("node-a").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"taints\":null}}");
                await().atMost(Duration.ofSeconds(20)).until(() -> informer.getIndexer().byIndex("ours", "tainted").isEmpty());
                api.client.nodes().withName("node-a").delete();
                await().atMost(Duration.ofSeconds(20)).until(() -> informer.getStore().listKeys().equals(List.of("node-b")));
            } finally {
                informer.close();
            }
        }
    }
}
