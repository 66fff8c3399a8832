package io.dentryguard.operator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dentryguard.api.testing.RealApiServer;
import io.dentryguard.api.testing.RealApiServerPerClass;
import io.dentryguard.operator.decide.NodeDecision;
import io.dentryguard.operator.decide.TaintEffect;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator's Node writes against someone who changed the Node between the operator's read and
 * its write (the node controller's not-ready taint, an autoscaler's, the kubelet's conditions), on
 * a real API server: the write is refused (422) and nothing of the other writer's is lost; the
 * reconcile then runs again on a fresh read (NodeHealthReconcilerTest). docs/operator.md, "How each
 * write is made", says why these are JSON patches with tests rather than server-side apply.
 */
class ConcurrentWritersOnRealServerIT {
    @RegisterExtension
    static final RealApiServerPerClass SERVER = new RealApiServerPerClass();
    private static RealApiServer api;

    @BeforeAll
    static void server() {
        api = SERVER.api();
    }


    /**
     * A Node with exactly these taints, as read afterwards. The server's TaintNodesByCondition admission
     * gives every new Node the node.kubernetes.io/not-ready taint, so the taints are set after the create.
     */
    private static Node nodeWith(String name, String... taintKeys) {
        api.client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        someoneElseSetsTaints(name, taintKeys);
        return api.client.nodes().withName(name).get();
    }

    /** As kubectl taint and the node controller do: the whole list, by a merge patch (none: no list). */
    private static void someoneElseSetsTaints(String node, String... keys) {
        if (keys.length == 0) {
            api.client.nodes().withName(node).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\": {\"taints\": null}}");
            return;
        }
        String taints = java.util.Arrays.stream(keys).map(k -> "{\"key\": \"" + k + "\", \"effect\": \"NoSchedule\"}")
                .collect(java.util.stream.Collectors.joining(", "));
        api.client.nodes().withName(node).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\": {\"taints\": [" + taints + "]}}");
    }

    /** Sent as NodeWriter sends it. */
    private static void patch(Node staleRead, String subresource, String patch) {
        var node = api.client.nodes().resource(staleRead);
        (subresource == null ? node : node.subresource(subresource)).patch(PatchContext.of(PatchType.JSON), patch);
    }

    private static void refused(Runnable write) {
        assertThatThrownBy(write::run).isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422));
    }

    private static List<String> taintKeys(String node) {
        return api.client.nodes().withName(node).get().getSpec().getTaints().stream().map(Taint::getKey).toList();
    }

    @Test
    void aTaintAddedAfterTheReadFailsTheTaintPatchInsteadOfBeingLost() {
        Node read = nodeWith("taints-some", "example.com/maintenance");
        someoneElseSetsTaints("taints-some", "example.com/maintenance", "node.kubernetes.io/not-ready");

        refused(() -> patch(read, null, NodeWriter.taintPatch(read, Optional.of(TaintEffect.NO_SCHEDULE)).toString()));
        assertThat(taintKeys("taints-some")).containsExactly("example.com/maintenance", "node.kubernetes.io/not-ready");

        Node fresh = api.client.nodes().withName("taints-some").get();
        patch(fresh, null, NodeWriter.taintPatch(fresh, Optional.of(TaintEffect.NO_SCHEDULE)).toString());
        assertThat(taintKeys("taints-some")).containsExactly("example.com/maintenance", "node.kubernetes.io/not-ready",
                NodeDecision.TAINT_KEY);
    }

    @Test
    void aFirstTaintAddedAfterTheReadOfAnUntaintedNodeIsNotLostEither() {
        Node read = nodeWith("taints-none");
        someoneElseSetsTaints("taints-none", "node.kubernetes.io/not-ready");

        refused(() -> patch(read, null, NodeWriter.taintPatch(read, Optional.of(TaintEffect.NO_SCHEDULE)).toString()));
        assertThat(taintKeys("taints-none")).containsExactly("node.kubernetes.io/not-ready");
    }

    private static NodeCondition ours() {
        return new NodeConditionBuilder().withType(NodeDecision.CONDITION_TYPE).withStatus("True").withReason("DentryCacheDegraded")
                .withMessage("test").build();
    }

    private static List<String> conditionTypes(String node) {
        return api.client.nodes().withName(node).get().getStatus().getConditions().stream().map(NodeCondition::getType).toList();
    }

    @Test
    void conditionsTheKubeletAddedAfterTheReadSurviveTheConditionPatch() {
        nodeWith("conditions", "node.kubernetes.io/not-ready");
        // The kubelet's first conditions arrive between the operator's read (no list) and its write.
        Node read = api.client.nodes().withName("conditions").get();
        api.client.nodes().withName("conditions").subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\": {\"conditions\": [{\"type\": \"Ready\", \"status\": \"True\"}]}}");

        refused(() -> patch(read, "status", NodeWriter.conditionPatch(read, ours()).toString()));
        assertThat(conditionTypes("conditions")).containsExactly("Ready");

        Node fresh = api.client.nodes().withName("conditions").get();
        patch(fresh, "status", NodeWriter.conditionPatch(fresh, ours()).toString());
        assertThat(conditionTypes("conditions")).containsExactly("Ready", NodeDecision.CONDITION_TYPE);

        // The kubelet replaces its list (a strategic merge by type): the operator's element stays where it is or
        // moves; an update from a read made before that move fails instead of overwriting the wrong element.
        Node beforeMove = api.client.nodes().withName("conditions").get();
        api.client.nodes().withName("conditions").subresource("status").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\": \"add\", \"path\": \"/status/conditions/0\", \"value\": {\"type\": \"MemoryPressure\", \"status\": \"False\"}}]");
        refused(() -> patch(beforeMove, "status", NodeWriter.conditionPatch(beforeMove, ours()).toString()));
        assertThat(conditionTypes("conditions")).containsExactly("MemoryPressure", "Ready", NodeDecision.CONDITION_TYPE);
    }
}
