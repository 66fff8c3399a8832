package io.dentryguard.operator.decide;

import io.dentryguard.api.v1alpha1.Rfc3339;
import io.dentryguard.api.v1alpha1.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the decision looks at for one node, read from the API alone (so that a restarted
 * operator decides the same).
 *
 * @param verdict       the probe's verdict, null if it never reported (or it did not read)
 * @param reasons       the probe's reasons, for messages
 * @param lastReport    when the probe last wrote, null if never
 * @param verdictSince  since when the probe's verdict has held, as the probe reports it; null from a probe
 *                      that does not say
 * @param reportProblem why the probe's report cannot be used although it is there (a field that does not
 *                      read or parse), null when it can
 * @param paused        NodeHealth spec.paused
 * @param specProblem   why the NodeHealth's spec cannot be read, null when it can
 * @param nodeExists    whether there is a Node of the NodeHealth's name
 * @param ownedByNode   whether the NodeHealth has a Node as its owner (the probe creates it so): without
 *                      the Node, the garbage collector deletes it
 * @param optedOut      the Node carries dentryguard.io/ignore=true
 * @param ourTaint      the effect of the operator's taint on the Node, if present
 * @param othersTaints  taints with the operator's key that the operator did not add (another value)
 * @param condition     the Node's DentryCachePressure condition, if present
 * @param recorded      the operator's fields of the NodeHealth status, as last written
 * @param generation    the NodeHealth's metadata.generation, for a condition's observedGeneration
 * @param nodes         nodes in the cluster
 * @param taintedByUs   nodes carrying the operator's taint, this one included
 */
public record Situation(String node, Verdict verdict, String reasons, Instant lastReport, Instant verdictSince, String reportProblem,
                        boolean paused, String specProblem, boolean nodeExists, boolean ownedByNode, boolean optedOut, Optional<TaintEffect> ourTaint,
                        List<OthersTaint> othersTaints, Optional<NodeCondition> condition, NodeHealthFields recorded, Long generation,
                        int nodes, int taintedByUs) {

    public Situation {
        othersTaints = List.copyOf(othersTaints);
        Objects.requireNonNull(recorded);
    }

    /** Since when the verdict has been Healthy, as the operator last recorded it. */
    public Instant healthySince() {
        return Rfc3339.parse(recorded.healthySince());
    }

    /** What was last held back, as recorded. */
    public SkipReason skipReason() {
        return SkipReason.of(recorded.skipReason());
    }

    public Situation withReportProblem(String problem) {
        return new Situation(node, verdict, reasons, lastReport, verdictSince, problem, paused, specProblem, nodeExists, ownedByNode, optedOut,
                ourTaint, othersTaints, condition, recorded, generation, nodes, taintedByUs);
    }

    public Situation withSpecProblem(String problem) {
        return new Situation(node, verdict, reasons, lastReport, verdictSince, reportProblem, paused, problem, nodeExists, ownedByNode, optedOut,
                ourTaint, othersTaints, condition, recorded, generation, nodes, taintedByUs);
    }

    public Situation withVerdictSince(Instant since) {
        return new Situation(node, verdict, reasons, lastReport, since, reportProblem, paused, specProblem, nodeExists, ownedByNode, optedOut,
                ourTaint, othersTaints, condition, recorded, generation, nodes, taintedByUs);
    }

    public Situation withOthersTaints(List<OthersTaint> taints) {
        return new Situation(node, verdict, reasons, lastReport, verdictSince, reportProblem, paused, specProblem, nodeExists, ownedByNode, optedOut,
                ourTaint, taints, condition, recorded, generation, nodes, taintedByUs);
    }

    public Situation withOwnedByNode(boolean owned) {
        return new Situation(node, verdict, reasons, lastReport, verdictSince, reportProblem, paused, specProblem, nodeExists, owned,
                optedOut, ourTaint, othersTaints, condition, recorded, generation, nodes, taintedByUs);
    }

    /** The same NodeHealth with no Node of its name: nothing on a Node to see. */
    public Situation withoutNode() {
        return new Situation(node, verdict, reasons, lastReport, verdictSince, reportProblem, paused, specProblem, false, ownedByNode, false,
                Optional.empty(), List.of(), Optional.empty(), recorded, generation, nodes, taintedByUs);
    }

    /** The operator's Node condition, metav1.Condition-shaped. */
    public record NodeCondition(String status, String reason, String message, Instant lastTransitionTime) {
        /**
         * The same condition as far as a reader can tell: the one rule for whether to write it again. An
         * empty text and none are the same: the API server stores a Node condition's empty message as no
         * field, and reading that back as a change rewrote every healthy node's condition at each reconcile.
         */
        public boolean sameAs(NodeCondition other) {
            return other != null && Objects.equals(status, other.status) && sameText(reason, other.reason)
                    && sameText(message, other.message) && Objects.equals(lastTransitionTime, other.lastTransitionTime);
        }

        private static boolean sameText(String a, String b) {
            return Objects.equals(a == null ? "" : a, b == null ? "" : b);
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
