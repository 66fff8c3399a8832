package io.dentryguard.operator.observe;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.dentryguard.api.v1alpha1.Rfc3339;
import io.dentryguard.operator.decide.NodeDecision;
import io.dentryguard.operator.decide.NodeHealthFields;
import io.dentryguard.operator.decide.Situation;
import io.dentryguard.operator.decide.TaintEffect;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The observing step's pure half: builds the decision's view of a node from what the API returned
 * (the NodeHealth, the Node of its name if any, and the taint counts), naming whatever does not read.
 */
public final class NodeReader {
    public static final String IGNORE_LABEL = "dentryguard.io/ignore";

    private NodeReader() {}

    public static List<Taint> taints(Node node) {
        return node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
    }

    /** The operator's taint: its key, its value and an effect it writes. Ownership is never decided by the key alone. */
    public static Optional<TaintEffect> ourTaint(Node node) {
        return taints(node).stream().filter(NodeReader::isOurs).findFirst().flatMap(t -> effect(t.getEffect()));
    }

    public static boolean isOurs(Taint t) {
        return NodeDecision.TAINT_KEY.equals(t.getKey()) && NodeDecision.TAINT_VALUE.equals(t.getValue())
                && effect(t.getEffect()).isPresent();
    }

    private static Optional<TaintEffect> effect(String apiName) {
        return Arrays.stream(TaintEffect.values()).filter(e -> e.apiName().equals(apiName)).findFirst();
    }

    /** Taints with the operator's key that someone else added (another value): left alone, and named. */
    static List<Situation.OthersTaint> othersTaints(Node node) {
        return taints(node).stream().filter(t -> NodeDecision.TAINT_KEY.equals(t.getKey()) && !isOurs(t))
                .map(t -> new Situation.OthersTaint(t.getValue(), t.getEffect())).toList();
    }

    public static Optional<Situation.NodeCondition> ourCondition(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return node.getStatus().getConditions().stream()
                .filter(c -> NodeDecision.CONDITION_TYPE.equals(c.getType()))
                .findFirst()
                .map(c -> new Situation.NodeCondition(c.getStatus(), c.getReason(), c.getMessage(), Rfc3339.parse(c.getLastTransitionTime())));
    }

    public static boolean optedOut(Node node) {
        return node.getMetadata().getLabels() != null && "true".equals(node.getMetadata().getLabels().get(IGNORE_LABEL));
    }

    /** @param node the Node of the NodeHealth's name, null when there is none */
    public static Situation situation(NodeHealth nh, Node node, int nodes, int taintedByUs) {
        NodeHealthStatus s = nh.getStatus() == null ? new NodeHealthStatus() : nh.getStatus();
        List<String> specProblems = nh.getSpec() == null ? List.of() : nh.getSpec().unreadableFields();
        Situation situation = new Situation(nh.getMetadata().getName(), s.getVerdict(), reasons(s), Rfc3339.parse(s.getLastReportTime()),
                Rfc3339.parse(s.getVerdictSince()), reportProblem(s), nh.getSpec() != null && nh.getSpec().isPaused(),
                specProblems.isEmpty() ? null : String.join("; ", specProblems), true, ownedByNode(nh), node != null && optedOut(node),
                node == null ? Optional.empty() : ourTaint(node), node == null ? List.of() : othersTaints(node),
                node == null ? Optional.empty() : ourCondition(node), recorded(nh.getStatus()), nh.getMetadata().getGeneration(),
                nodes, taintedByUs);
        return node == null ? situation.withoutNode() : situation;
    }

    private static boolean ownedByNode(NodeHealth nh) {
        return nh.getMetadata().getOwnerReferences() != null
                && nh.getMetadata().getOwnerReferences().stream().anyMatch(o -> "Node".equals(o.getKind()) && "v1".equals(o.getApiVersion()));
    }

    /** The operator's own fields of a status, as recorded; a null element of a list (an edited object) is left out. */
    static NodeHealthFields recorded(NodeHealthStatus s) {
        if (s == null) {
            return NodeHealthFields.NONE;
        }
        return new NodeHealthFields(s.getTainted(), s.getHealthySince(), s.getSkipReason(), withoutNulls(s.getIntendedActions()),
                withoutNulls(s.getConditions()));
    }

    private static <T> List<T> withoutNulls(List<T> list) {
        return list == null ? List.of() : list.stream().filter(java.util.Objects::nonNull).toList();
    }

    private static String reasons(NodeHealthStatus s) {
        return s.getReasons() == null ? "" : String.join("; ", s.getReasons());
    }

    /**
     * Why the probe's report cannot be acted on, or null. Unreadable fields of the operator's own are
     * not the report's problem: they read as absent and the operator writes them anew.
     */
    static String reportProblem(NodeHealthStatus s) {
        List<String> problems = new ArrayList<>();
        s.unreadableFields().stream().filter(p -> !NodeHealthStatus.OPERATOR_FIELDS.contains(statusField(p))).forEach(problems::add);
        notATime("lastReportTime", s.getLastReportTime()).ifPresent(problems::add);
        notATime("verdictSince", s.getVerdictSince()).ifPresent(problems::add);
        if (problems.isEmpty() && s.getLastReportTime() != null && s.getVerdict() == null) {
            problems.add("status.verdict is missing from a report of " + s.getLastReportTime());
        }
        return problems.isEmpty() ? null : String.join("; ", problems) + "; the report is not acted on";
    }

    private static Optional<String> notATime(String field, String text) {
        return text != null && !text.isBlank() && Rfc3339.parse(text) == null
                ? Optional.of("status." + field + " \"" + text + "\" is not an RFC 3339 time") : Optional.empty();
    }

    /** "status.offenders[1].confidence ..." -> "offenders". */
    private static String statusField(String problem) {
        String rest = problem.startsWith("status.") ? problem.substring("status.".length()) : "";
        int end = 0;
        while (end < rest.length() && Character.isLetterOrDigit(rest.charAt(end))) {
            end++;
        }
        return rest.substring(0, end);
    }
}
