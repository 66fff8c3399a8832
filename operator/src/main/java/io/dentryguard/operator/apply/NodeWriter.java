package io.dentryguard.operator.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dentryguard.operator.decide.Decision;
import io.dentryguard.operator.decide.NodeDecision;
import io.dentryguard.operator.decide.Situation;
import io.dentryguard.operator.decide.TaintEffect;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a decision to a Node with JSON patches that first test the list they replace, so a
 * concurrent change by someone else fails the patch instead of being overwritten. Taints and
 * conditions the operator does not own are carried over untouched. Writes nothing when nothing
 * differs.
 */
public final class NodeWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeWriter() {}

    /** @return the number of patches sent */
    public static int apply(KubernetesClient client, Node node, Situation s, Decision d) {
        int patches = 0;
        if (!d.taint().equals(s.ourTaint())) {
            List<Taint> old = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
            List<Taint> updated = new ArrayList<>();
            for (Taint t : old) {
                if (!NodeDecision.TAINT_KEY.equals(t.getKey())) {
                    updated.add(t);
                }
            }
            d.taint().ifPresent(e -> updated.add(taint(e)));
            client.nodes().withName(node.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON), testAndSet("/spec/taints", old, updated));
            patches++;
        }
        if (d.condition().isPresent() && !(s.condition().isPresent() && sameCondition(s.condition().get(), d.condition().get()))) {
            List<NodeCondition> old = node.getStatus() == null || node.getStatus().getConditions() == null ? List.of()
                    : node.getStatus().getConditions();
            Situation.NodeCondition nc = d.condition().get();
            NodeCondition ours = new io.fabric8.kubernetes.api.model.NodeConditionBuilder().withType(NodeDecision.CONDITION_TYPE)
                    .withStatus(nc.status()).withReason(nc.reason()).withMessage(nc.message())
                    .withLastTransitionTime(nc.lastTransitionTime().toString())
                    .withLastHeartbeatTime(nc.lastTransitionTime().toString()).build();
            client.nodes().withName(node.getMetadata().getName()).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON), conditionPatch(old, ours));
            patches++;
        }
        return patches;
    }

    /**
     * Touches only the operator's element of status.conditions: the kubelet rewrites its own
     * conditions every few seconds, and replacing the whole list from an older read would undo that.
     * An existing element is replaced after testing that the index still holds our type.
     */
    private static String conditionPatch(List<NodeCondition> old, NodeCondition ours) {
        ArrayNode ops = JSON.createArrayNode();
        int index = -1;
        for (int i = 0; i < old.size(); i++) {
            if (NodeDecision.CONDITION_TYPE.equals(old.get(i).getType())) {
                index = i;
            }
        }
        if (old.isEmpty()) {
            ObjectNode add = ops.addObject();
            add.put("op", "add");
            add.put("path", "/status/conditions");
            add.set("value", JSON.valueToTree(List.of(ours)));
        } else if (index < 0) {
            ObjectNode add = ops.addObject();
            add.put("op", "add");
            add.put("path", "/status/conditions/-");
            add.set("value", JSON.valueToTree(ours));
        } else {
            ObjectNode test = ops.addObject();
            test.put("op", "test");
            test.put("path", "/status/conditions/" + index + "/type");
            test.put("value", NodeDecision.CONDITION_TYPE);
            ObjectNode replace = ops.addObject();
            replace.put("op", "replace");
            replace.put("path", "/status/conditions/" + index);
            replace.set("value", JSON.valueToTree(ours));
        }
        return ops.toString();
    }

    private static boolean sameCondition(Situation.NodeCondition a, Situation.NodeCondition b) {
        return a.status().equals(b.status()) && a.reason().equals(b.reason()) && java.util.Objects.equals(a.message(), b.message())
                && a.lastTransitionTime().equals(b.lastTransitionTime());
    }

    static Taint taint(TaintEffect e) {
        Taint t = new Taint();
        t.setKey(NodeDecision.TAINT_KEY);
        t.setValue("true");
        t.setEffect(e.apiName());
        return t;
    }

    /**
     * Tests the old list and replaces it. An empty list is absent from the stored object (the API
     * omits empty lists), so there is nothing to test and "add" creates the member.
     */
    private static String testAndSet(String path, List<?> old, Object updated) {
        ArrayNode ops = JSON.createArrayNode();
        boolean exists = !old.isEmpty();
        if (exists) {
            ObjectNode test = ops.addObject();
            test.put("op", "test");
            test.put("path", path);
            test.set("value", JSON.valueToTree(old));
        }
        ObjectNode set = ops.addObject();
        set.put("op", exists ? "replace" : "add");
        set.put("path", path);
        JsonNode value = JSON.valueToTree(updated);
        set.set("value", value);
        return ops.toString();
    }
}
