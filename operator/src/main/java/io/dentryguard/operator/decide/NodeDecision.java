package io.dentryguard.operator.decide;

import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.decide.Decision.Event;
import io.dentryguard.operator.decide.Decision.Target;
import io.dentryguard.operator.decide.Situation.NodeCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, as a pure function of one node's situation, the policy and the time, which taint and
 * Node condition the node should carry and which Events to emit. Applying is left to an adapter
 * that only writes differences.
 */
public final class NodeDecision {
    public static final String TAINT_KEY = "dentryguard.io/dentry-pressure";
    public static final String CONDITION_TYPE = "DentryCachePressure";

    private NodeDecision() {}

    public static Decision decide(Situation s, Policy policy, Instant now) {
        Duration staleAfter = policy.staleAfter();
        boolean unreadable = s.reportProblem() != null;
        boolean neverReported = !unreadable && (s.lastReport() == null || s.verdict() == null);
        boolean stale = !unreadable && isStale(s.verdict(), s.lastReport(), policy, now);
        // Nothing is done on a report that cannot be read: it counts as a probe that cannot measure.
        Verdict verdict = unreadable ? Verdict.UNKNOWN : effectiveVerdict(s.verdict(), s.lastReport(), policy, now);

        NodeCondition condition = condition(s, verdict, stale, neverReported, staleAfter, now);
        Instant healthySince = verdict == Verdict.HEALTHY ? (s.healthySince() != null ? s.healthySince() : now) : null;

        Optional<TaintEffect> current = s.ourTaint();
        Optional<TaintEffect> desired = current;
        String skip = null;
        String why = "";
        Optional<Duration> requeue = Optional.empty();
        if (s.optedOut()) {
            desired = Optional.empty();
            skip = "OptedOut";
            why = "node is labelled dentryguard.io/ignore=true";
        } else if (s.paused()) {
            skip = "Paused";
            why = "NodeHealth spec.paused is true";
        } else if (verdict == Verdict.UNKNOWN) {
            skip = unreadable ? "ReportUnreadable" : neverReported ? "NeverReported" : stale ? "ReportStale" : "ProbeCannotMeasure";
            why = condition.message();
            if (stale && policy.removeTaintWhenStale()) {
                desired = Optional.empty();
            }
        } else {
            Optional<TaintEffect> wanted = Optional.ofNullable(policy.taintFrom().get(verdict));
            if (wanted.isPresent()) {
                int ceiling = policy.taintCeiling(s.nodes());
                if (current.isEmpty() && s.taintedByUs() >= ceiling) {
                    skip = "TaintCeilingReached";
                    why = String.format("%d of %d nodes already carry the taint, the ceiling is %d", s.taintedByUs(), s.nodes(), ceiling);
                } else {
                    desired = wanted;
                }
            } else if (current.isPresent() && verdict == Verdict.HEALTHY) {
                Duration healthyFor = Duration.between(healthySince, now);
                if (healthyFor.compareTo(policy.holdDown()) >= 0) {
                    desired = Optional.empty();
                } else {
                    skip = "HoldDown";
                    why = "Healthy for " + healthyFor.toSeconds() + " s of the " + policy.holdDown().toSeconds() + " s hold-down";
                    requeue = Optional.of(policy.holdDown().minus(healthyFor));
                }
            }
            // Warning with a taint keeps it: only Healthy, held down, clears.
        }

        List<Event> events = new ArrayList<>();
        List<String> actions = new ArrayList<>();
        boolean taintChanges = !desired.equals(current);
        Optional<NodeCondition> conditionToWrite = Optional.of(condition);
        if (policy.dryRun()) {
            if (taintChanges) {
                String action = describe(current, desired);
                if (!action.equals(s.lastIntendedAction())) {
                    actions.add(action);
                    events.add(new Event(Target.NODE_HEALTH, false, "DryRun", "dry-run, not done: " + action));
                }
                desired = current;
                skip = "DryRun";
                why = "dry-run: " + action;
            }
            conditionToWrite = Optional.empty();
        } else if (taintChanges) {
            String action = describe(current, desired);
            actions.add(action);
            String reason = desired.isEmpty() ? "DentryPressureUntainted" : current.isEmpty() ? "DentryPressureTainted"
                    : "DentryPressureTaintUpdated";
            String message = action + ": " + (desired.isEmpty() ? untaintReason(s, stale) : "verdict " + label(verdict) + ", " + s.reasons());
            events.add(new Event(Target.NODE, desired.isPresent(), reason, message));
            events.add(new Event(Target.NODE_HEALTH, desired.isPresent(), reason, message));
        }
        // A first condition is announced only when it reports a problem: installing the operator on
        // a healthy cluster must not emit an Event per node.
        boolean conditionChanges = s.condition().map(c -> !c.status().equals(condition.status())
                || !c.reason().equals(condition.reason())).orElse(condition.status().equals("True"));
        if (!policy.dryRun() && conditionChanges) {
            events.add(new Event(Target.NODE, !condition.status().equals("False"), condition.reason(), condition.message()));
        }
        // A NodeHealth the probe has only just created is not news; its condition says Unknown meanwhile.
        if (skip != null && !skip.equals(s.skipReason()) && !skip.equals("DryRun") && !skip.equals("NeverReported")) {
            events.add(new Event(Target.NODE_HEALTH, Set.of("TaintCeilingReached", "ReportStale", "ReportUnreadable").contains(skip),
                    skip, why));
        }
        return new Decision(desired, conditionToWrite, events, healthySince, skip, actions, requeue);
    }

    /** No report, or none for longer than the policy's stale time. */
    public static boolean isStale(Verdict reported, Instant lastReport, Policy policy, Instant now) {
        return reported == null || lastReport == null || Duration.between(lastReport, now).compareTo(policy.staleAfter()) > 0;
    }

    /** The verdict the operator acts on: the probe's, or Unknown when the report is stale. */
    public static Verdict effectiveVerdict(Verdict reported, Instant lastReport, Policy policy, Instant now) {
        return isStale(reported, lastReport, policy, now) ? Verdict.UNKNOWN : reported;
    }

    private static NodeCondition condition(Situation s, Verdict verdict, boolean stale, boolean neverReported,
                                           Duration staleAfter, Instant now) {
        String status;
        String reason;
        String message;
        if (s.reportProblem() != null) {
            status = "Unknown";
            reason = "ReportUnreadable";
            message = s.reportProblem();
        } else if (neverReported) {
            status = "Unknown";
            reason = "NeverReported";
            message = "the probe has not reported for this node";
        } else if (stale) {
            status = "Unknown";
            reason = "ReportStale";
            message = "no report from the probe for " + Duration.between(s.lastReport(), now).toSeconds() + " s (stale after "
                    + staleAfter.toSeconds() + " s); last verdict " + label(s.verdict());
        } else if (verdict == Verdict.UNKNOWN) {
            status = "Unknown";
            reason = "ProbeCannotMeasure";
            message = s.reasons();
        } else {
            status = verdict == Verdict.DEGRADED || verdict == Verdict.CRITICAL ? "True" : "False";
            reason = "DentryCache" + label(verdict);
            message = s.reasons();
        }
        Instant since = s.condition().filter(c -> c.status().equals(status) && c.lastTransitionTime() != null).map(NodeCondition::lastTransitionTime).orElse(now);
        return new NodeCondition(status, reason, Objects.requireNonNullElse(message, ""), since);
    }

    private static String untaintReason(Situation s, boolean stale) {
        if (s.optedOut()) {
            return "node opted out (dentryguard.io/ignore=true)";
        }
        if (stale) {
            return "report stale and the policy removes taints of stale nodes";
        }
        return "Healthy for the hold-down";
    }

    private static String describe(Optional<TaintEffect> from, Optional<TaintEffect> to) {
        if (to.isEmpty()) {
            return "remove taint " + TAINT_KEY + ":" + from.orElseThrow().apiName();
        }
        if (from.isEmpty()) {
            return "add taint " + TAINT_KEY + ":" + to.get().apiName();
        }
        return "change taint " + TAINT_KEY + " from " + from.get().apiName() + " to " + to.get().apiName();
    }

    static String label(Verdict v) {
        String n = v.name();
        return n.charAt(0) + n.substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
