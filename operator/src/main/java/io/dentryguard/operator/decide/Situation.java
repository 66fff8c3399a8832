package io.dentryguard.operator.decide;

import io.dentryguard.api.v1alpha1.Verdict;
import java.time.Instant;
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
 *                        parse), null when it can
 */
public record Situation(String node, Verdict verdict, String reasons, Instant lastReport, boolean paused, boolean optedOut,
                        Optional<TaintEffect> ourTaint, Optional<NodeCondition> condition, Instant healthySince,
                        String skipReason, String lastIntendedAction, int nodes, int taintedByUs, String reportProblem) {

    /** A situation whose report, if any, is readable. */
    public Situation(String node, Verdict verdict, String reasons, Instant lastReport, boolean paused, boolean optedOut,
                     Optional<TaintEffect> ourTaint, Optional<NodeCondition> condition, Instant healthySince,
                     String skipReason, String lastIntendedAction, int nodes, int taintedByUs) {
        this(node, verdict, reasons, lastReport, paused, optedOut, ourTaint, condition, healthySince, skipReason,
                lastIntendedAction, nodes, taintedByUs, null);
    }

    /** The operator's Node condition, metav1.Condition-shaped. */
    public record NodeCondition(String status, String reason, String message, Instant lastTransitionTime) {}
}
