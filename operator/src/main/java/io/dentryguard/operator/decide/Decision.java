package io.dentryguard.operator.decide;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What should be true of the node and of the operator's NodeHealth status fields after this
 * reconcile. The adapters apply only differences, so deciding again on the same state yields no
 * change.
 *
 * @param taint        the operator's taint the Node should carry (empty: none)
 * @param change       the taint change called for, if any; {@code done}: taken, else (dry-run) only intended
 * @param condition    the DentryCachePressure condition, for the NodeHealth status always and for the Node
 *                     when {@code touchesNode}
 * @param touchesNode  whether the Node may be written at all (not in dry-run, not when there is no Node)
 * @param events       events to emit, each once, for changes made or held back now
 * @param skip         what is held back now, null when nothing is
 * @param skipMessage  why, in a sentence (null without skip)
 * @param want         the operator's NodeHealth status fields after this decision
 * @param requeueAfter when to decide again without a change (the hold-down ending)
 */
public record Decision(Optional<TaintEffect> taint, Optional<TaintChange> change, boolean done, Situation.NodeCondition condition,
                       boolean touchesNode, List<Event> events, SkipReason skip, String skipMessage, NodeHealthFields want,
                       Optional<Duration> requeueAfter) {

    public enum Target { NODE, NODE_HEALTH }

    /** An Event with a CamelCase reason. */
    public record Event(Target target, boolean warning, String reason, String message) {}

    /** Whether the Node's taint is to be written. */
    public boolean changesTaint(Situation s) {
        return touchesNode && !taint.equals(s.ourTaint());
    }

    /** Whether the Node's condition is to be written: only what differs is. */
    public boolean changesNodeCondition(Situation s) {
        return touchesNode && !condition.sameAs(s.condition().orElse(null));
    }

    /** Whether applying this decision writes anything at all: the one answer for the reconciler and the adapters. */
    public boolean changesAnything(Situation s) {
        return changesTaint(s) || changesNodeCondition(s) || !want.equals(s.recorded()) || !events.isEmpty();
    }
}
