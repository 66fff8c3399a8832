package io.dentryguard.operator.decide;

import io.dentryguard.api.v1alpha1.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the decision looks at for one node, read from the API alone (so that a restarted
 * operator decides the same).
 *
 * @param verdict         the probe's verdict, null if it never reported
 * @param reasons         the probe's reasons, for messages
 * @param lastReport      when the probe last wrote, null if never
 * @param paused          NodeHealth spec.paused
 * @param optedOut        the Node carries dentryguard.io/ignore=true
 * @param ourTaint        the effect of the operator's taint on the Node, if present
 * @param condition       the Node's DentryCachePressure condition, if present
 * @param healthySince    NodeHealth status.healthySince
 * @param skipReason      NodeHealth status.skipReason: what was last held back
 * @param lastIntendedAction the latest action recorded in NodeHealth status (so dry-run announces each once)
 * @param nodes           nodes in the cluster
 * @param taintedByUs     nodes carrying the operator's taint, this one included
 * @param reportProblem   why the probe's report cannot be used although it is there (a field that does not
 *                        read or parse), null when it can
 * @param verdictSince    since when the probe's verdict has held, as the probe reports it; null from a probe
 *                        that does not say
 * @param nodeExists      whether there is a Node of the NodeHealth's name
 * @param othersTaints    taints with the operator's key that the operator did not add (another value)
 * @param specProblem     why the NodeHealth's spec cannot be read, null when it can
 */
public record Situation(String node, Verdict verdict, String reasons, Instant lastReport, boolean paused, boolean optedOut,
                        Optional<TaintEffect> ourTaint, Optional<NodeCondition> condition, Instant healthySince,
                        String skipReason, String lastIntendedAction, int nodes, int taintedByUs, String reportProblem,
                        Instant verdictSince, boolean nodeExists, List<OthersTaint> othersTaints, String specProblem) {

    public Situation {
        othersTaints = List.copyOf(othersTaints);
    }

    /** A situation of an existing Node whose report, if any, is readable. */
    public Situation(String node, Verdict verdict, String reasons, Instant lastReport, boolean paused, boolean optedOut,
                     Optional<TaintEffect> ourTaint, Optional<NodeCondition> condition, Instant healthySince,
                     String skipReason, String lastIntendedAction, int nodes, int taintedByUs) {
        this(node, verdict, reasons, lastReport, paused, optedOut, ourTaint, condition, healthySince, skipReason,
                lastIntendedAction, nodes, taintedByUs, null, null, true, List.of(), null);
    }

    public Situation withReportProblem(String problem) {
        return new Situation(node, verdict, reasons, lastReport, paused, optedOut, ourTaint, condition, healthySince, skipReason,
                lastIntendedAction, nodes, taintedByUs, problem, verdictSince, nodeExists, othersTaints, specProblem);
    }

    public Situation withSpecProblem(String problem) {
        return new Situation(node, verdict, reasons, lastReport, paused, optedOut, ourTaint, condition, healthySince, skipReason,
                lastIntendedAction, nodes, taintedByUs, reportProblem, verdictSince, nodeExists, othersTaints, problem);
    }

    public Situation withVerdictSince(Instant since) {
        return new Situation(node, verdict, reasons, lastReport, paused, optedOut, ourTaint, condition, healthySince, skipReason,
                lastIntendedAction, nodes, taintedByUs, reportProblem, since, nodeExists, othersTaints, specProblem);
    }

    public Situation withOthersTaints(List<OthersTaint> taints) {
        return new Situation(node, verdict, reasons, lastReport, paused, optedOut, ourTaint, condition, healthySince, skipReason,
                lastIntendedAction, nodes, taintedByUs, reportProblem, verdictSince, nodeExists, taints, specProblem);
    }

    /** The same NodeHealth with no Node of its name: nothing on a Node to see. */
    public Situation withoutNode() {
        return new Situation(node, verdict, reasons, lastReport, paused, false, Optional.empty(), Optional.empty(), healthySince,
                skipReason, lastIntendedAction, nodes, taintedByUs, reportProblem, verdictSince, false, List.of(), specProblem);
    }

    /** The operator's Node condition, metav1.Condition-shaped. */
    public record NodeCondition(String status, String reason, String message, Instant lastTransitionTime) {
        /** The same condition as far as a reader can tell: the one rule for whether to write it again. */
        public boolean sameAs(NodeCondition other) {
            return other != null && status.equals(other.status) && reason.equals(other.reason)
                    && java.util.Objects.equals(message, other.message)
                    && java.util.Objects.equals(lastTransitionTime, other.lastTransitionTime);
        }
    }

    /** A taint with the operator's key but not the operator's value: someone else's, never touched. */
    public record OthersTaint(String value, String effect) {
        @Override
        public String toString() {
            return NodeDecision.TAINT_KEY + "=" + (value == null ? "" : value) + ":" + effect;
        }
    }
}
