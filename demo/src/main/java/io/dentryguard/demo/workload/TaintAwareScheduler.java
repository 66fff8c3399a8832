package io.dentryguard.demo.workload;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The stand-in scheduler's one rule, the one the story needs: a pod goes only to a node whose
 * NoSchedule and NoExecute taints it tolerates, and avoids PreferNoSchedule ones while another node
 * fits; among equals, the first node given wins (the demo lists this host first). Cordoned nodes
 * are skipped. No resources, affinities or spreading: the demo's two pods need none.
 */
public final class TaintAwareScheduler {
    private TaintAwareScheduler() {}

    /** The node for {@code pod} among {@code nodes}, in order of preference; empty when none fits. */
    public static Optional<String> place(Pod pod, List<Node> nodes) {
        List<Toleration> tolerations = pod.getSpec() == null || pod.getSpec().getTolerations() == null ? List.of()
                : pod.getSpec().getTolerations();
        Optional<Node> preferred = nodes.stream().filter(n -> fits(n, tolerations) && !untolerated(n, tolerations, "PreferNoSchedule"))
                .findFirst();
        return preferred.or(() -> nodes.stream().filter(n -> fits(n, tolerations)).findFirst()).map(n -> n.getMetadata().getName());
    }

    private static boolean fits(Node node, List<Toleration> tolerations) {
        boolean cordoned = node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
        return !cordoned && !untolerated(node, tolerations, "NoSchedule") && !untolerated(node, tolerations, "NoExecute");
    }

    private static boolean untolerated(Node node, List<Toleration> tolerations, String effect) {
        List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
        return taints.stream().filter(t -> effect.equals(t.getEffect())).anyMatch(t -> tolerations.stream().noneMatch(o -> tolerates(o, t)));
    }

    /** Kubernetes' matching: an empty key with Exists tolerates everything; an empty effect matches every effect. */
    static boolean tolerates(Toleration toleration, Taint taint) {
        if (toleration.getEffect() != null && !toleration.getEffect().isEmpty() && !toleration.getEffect().equals(taint.getEffect())) {
            return false;
        }
        String key = Objects.requireNonNullElse(toleration.getKey(), "");
        if ("Exists".equals(toleration.getOperator())) {
            return key.isEmpty() || key.equals(taint.getKey());
        }
        return key.equals(taint.getKey()) && Objects.requireNonNullElse(toleration.getValue(), "")
                .equals(Objects.requireNonNullElse(taint.getValue(), ""));
    }
}
