package io.dentryguard.operator.apply;

import io.dentryguard.api.patch.JsonPatch;
import io.dentryguard.operator.decide.Decision;
import io.dentryguard.operator.decide.NodeDecision;
import io.dentryguard.operator.decide.Situation;
import io.dentryguard.operator.decide.TaintEffect;
import io.dentryguard.operator.observe.NodeReader;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies a decision to a Node with JSON patches that first test what they replace, so that a
 * concurrent change by someone else fails the patch (and the reconcile is retried on fresh data)
 * instead of being overwritten. Taints and conditions the operator does not own are carried over
 * untouched, including taints with the operator's key and another value. Writes nothing when nothing
 * differs.
 */
public final class NodeWriter {
    private final KubernetesClient client;

    public NodeWriter(KubernetesClient client) {
        this.client = client;
    }

    /** @return the Node as stored after the taint patch (or {@code node} when the taint is unchanged) */
    public Node applyTaint(Node node, Situation s, Decision d) {
        if (!d.changesTaint(s)) {
            return node;
        }
        JsonPatch patch = taintPatch(node, d.taint());
        // resource(node), not withName(name): fabric8 7.5 reads the object before patching it by name.
        return client.nodes().resource(node).patch(PatchContext.of(PatchType.JSON), patch.toString());
    }

    /**
     * The patch that leaves {@code node} with the operator's taint of effect {@code want} (none when
     * empty) and every other taint as read, failing if the taints changed since that read.
     */
    static JsonPatch taintPatch(Node node, Optional<TaintEffect> want) {
        List<Taint> old = NodeReader.taints(node);
        List<Taint> updated = new ArrayList<>();
        for (Taint t : old) {
            if (!NodeReader.isOurs(t)) {
                updated.add(t);
            }
        }
        want.ifPresent(e -> updated.add(taint(e)));
        // The API stores an empty taint list as no list at all: then there is no list to test, and the
        // resourceVersion stands in for it, so that a taint added meanwhile (the node controller's
        // not-ready, an autoscaler's) fails the patch instead of being overwritten.
        return old.isEmpty()
                ? new JsonPatch().test("/metadata/resourceVersion", node.getMetadata().getResourceVersion()).add("/spec/taints", updated)
                : new JsonPatch().test("/spec/taints", old).replace("/spec/taints", updated);
    }

    /** Touches only the operator's element of status.conditions ({@link ConditionElement}). */
    public void applyCondition(Node node, Situation s, Decision d) {
        if (!d.changesNodeCondition(s)) {
            return;
        }
        Situation.NodeCondition c = d.condition();
        NodeCondition ours = new NodeConditionBuilder().withType(NodeDecision.CONDITION_TYPE)
                .withStatus(c.status()).withReason(c.reason()).withMessage(c.message())
                .withLastTransitionTime(c.lastTransitionTime().toString())
                .withLastHeartbeatTime(c.lastTransitionTime().toString()).build();
        client.nodes().resource(node).subresource("status").patch(PatchContext.of(PatchType.JSON), conditionPatch(node, ours).toString());
    }

    /** The patch that puts {@code ours} among {@code node}'s conditions as read, failing if the list moved since. */
    static JsonPatch conditionPatch(Node node, NodeCondition ours) {
        List<String> types = node.getStatus() == null || node.getStatus().getConditions() == null ? List.of()
                : node.getStatus().getConditions().stream().map(NodeCondition::getType).toList();
        return ConditionElement.put(new JsonPatch(), "/status/conditions", types, node.getMetadata().getResourceVersion(), ours);
    }

    static Taint taint(TaintEffect e) {
        Taint t = new Taint();
        t.setKey(NodeDecision.TAINT_KEY);
        t.setValue(NodeDecision.TAINT_VALUE);
        t.setEffect(e.apiName());
        return t;
    }
}
