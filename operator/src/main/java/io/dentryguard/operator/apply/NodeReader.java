package io.dentryguard.operator.apply;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.dentryguard.operator.decide.NodeDecision;
import io.dentryguard.operator.decide.Situation;
import io.dentryguard.operator.decide.TaintEffect;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** Builds the decision's view of a node from what the API returned. */
public final class NodeReader {
    public static final String IGNORE_LABEL = "dentryguard.io/ignore";

    private NodeReader() {}

    static List<Taint> taints(Node node) {
        return node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
    }

    public static Optional<TaintEffect> ourTaint(Node node) {
        for (Taint t : taints(node)) {
            if (NodeDecision.TAINT_KEY.equals(t.getKey())) {
                for (TaintEffect e : TaintEffect.values()) {
                    if (e.apiName().equals(t.getEffect())) {
                        return Optional.of(e);
                    }
                }
            }
        }
        return Optional.empty();
    }

    public static Optional<Situation.NodeCondition> ourCondition(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return node.getStatus().getConditions().stream()
                .filter(c -> NodeDecision.CONDITION_TYPE.equals(c.getType()))
                .findFirst()
                .map(c -> new Situation.NodeCondition(c.getStatus(), c.getReason(), c.getMessage(), time(c.getLastTransitionTime())));
    }

    public static boolean optedOut(Node node) {
        return node.getMetadata().getLabels() != null && "true".equals(node.getMetadata().getLabels().get(IGNORE_LABEL));
    }

    public static Situation situation(NodeHealth nh, Node node, int nodes, int taintedByUs) {
        NodeHealthStatus s = nh.getStatus() == null ? new NodeHealthStatus() : nh.getStatus();
        boolean optedOut = optedOut(node);
        boolean paused = nh.getSpec() != null && nh.getSpec().isPaused();
        String problem = null;
        if (s.getLastReportTime() != null && !s.getLastReportTime().isBlank() && time(s.getLastReportTime()) == null) {
            problem = "status.lastReportTime '" + s.getLastReportTime() + "' is not an RFC 3339 time; the report is not acted on";
        } else if (s.getLastReportTime() != null && s.getVerdict() == null) {
            problem = "status.verdict is missing from a report of " + s.getLastReportTime() + "; the report is not acted on";
        }
        return new Situation(node.getMetadata().getName(), s.getVerdict(), s.getReasons() == null ? "" : String.join("; ", s.getReasons()),
                time(s.getLastReportTime()), paused, optedOut, ourTaint(node), ourCondition(node), time(s.getHealthySince()),
                s.getSkipReason(), lastAction(s.getIntendedActions()), nodes, taintedByUs, problem);
    }

    /** The latest recorded action without its timestamp ("2026-... add taint ..." -> "add taint ..."). */
    static String lastAction(List<String> actions) {
        if (actions == null || actions.isEmpty()) {
            return null;
        }
        String last = actions.get(actions.size() - 1);
        int space = last.indexOf(' ');
        return space < 0 ? last : last.substring(space + 1);
    }

    /** An RFC 3339 time, or null when absent or unreadable. */
    public static Instant time(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
