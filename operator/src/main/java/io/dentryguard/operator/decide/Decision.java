package io.dentryguard.operator.decide;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What should be true of the node after this reconcile. The adapter applies only differences, so
 * deciding again on the same state yields no change.
 *
 * @param taint           the operator's taint the Node should carry (empty: none)
 * @param condition       the DentryCachePressure condition, for the NodeHealth status always and for the Node
 *                        when {@code touchesNode}
 * @param touchesNode     whether the Node may be written at all (not in dry-run, not when there is no Node)
 * @param events          events to emit, each once, for changes made or held back now
 * @param healthySince    NodeHealth status.healthySince to record
 * @param skipReason      NodeHealth status.skipReason to record (null: nothing held back)
 * @param skipMessage     why, in a sentence (null with skipReason)
 * @param intendedActions actions taken, or in dry-run only intended, this time, each saying which
 * @param requeueAfter    when to decide again without a change (the hold-down ending)
 */
public record Decision(Optional<TaintEffect> taint, Situation.NodeCondition condition, boolean touchesNode, List<Event> events,
                       Instant healthySince, String skipReason, String skipMessage, List<String> intendedActions,
                       Optional<Duration> requeueAfter) {

    public enum Target { NODE, NODE_HEALTH }

    /** An Event with a CamelCase reason. */
    public record Event(Target target, boolean warning, String reason, String message) {}

    /** Whether the Node's condition is to be written: only what differs is. */
    public boolean changesNodeCondition(Optional<Situation.NodeCondition> onNode) {
        return touchesNode && !condition.sameAs(onNode.orElse(null));
    }
}
