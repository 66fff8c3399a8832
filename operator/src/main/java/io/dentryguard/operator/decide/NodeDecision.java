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
 * that only writes differences. Every message is stable while the situation is (it names when,
 * never how long ago), so that deciding again on an unchanged situation writes nothing.
 */
public final class NodeDecision {
    public static final String TAINT_KEY = "dentryguard.io/dentry-pressure";
    /**
     * The operator's taint carries this value: a taint is the operator's only with this key, this
     * value and an effect the operator writes. Any other taint, even with the same key, is someone
     * else's and never removed or changed.
     */
    public static final String TAINT_VALUE = "dentry-guard";
    public static final String CONDITION_TYPE = "DentryCachePressure";
    static final String DONE = " (done)";
    static final String NOT_DONE = " (dry-run, not done)";
    private static final Set<String> WARNING_SKIPS = Set.of("TaintCeilingReached", "ReportStale", "ReportUnreadable",
            "SpecUnreadable", "NodeNotFound");

    private NodeDecision() {}

    public static Decision decide(Situation s, Policy policy, Instant now) {
        boolean unreadable = s.reportProblem() != null;
        boolean neverReported = !unreadable && (s.lastReport() == null || s.verdict() == null);
        boolean stale = !unreadable && !neverReported && isStale(s.verdict(), s.lastReport(), policy, now);
        // Nothing is done on a report that cannot be read: it counts as a probe that cannot measure.
        Verdict verdict = unreadable ? Verdict.UNKNOWN : effectiveVerdict(s.verdict(), s.lastReport(), policy, now);
        Instant healthySince = verdict != Verdict.HEALTHY ? null
                // The probe's own word first: the operator may have been down when the verdict changed.
                : s.verdictSince() != null ? s.verdictSince() : s.healthySince() != null ? s.healthySince() : now;

        Optional<TaintEffect> current = s.ourTaint();
        Optional<TaintEffect> desired = current;
        String skip = null;
        String why = null;
        String heldBack = null;
        Optional<Duration> requeue = Optional.empty();
        if (!s.nodeExists()) {
            skip = "NodeNotFound";
            why = "there is no Node named " + s.node() + "; nothing is done until one appears";
        } else if (s.optedOut()) {
            desired = Optional.empty();
            skip = "OptedOut";
            why = "node is labelled dentryguard.io/ignore=true";
        } else if (s.paused()) {
            skip = "Paused";
            why = "NodeHealth spec.paused is true";
        } else if (s.specProblem() != null) {
            skip = "SpecUnreadable";
            why = s.specProblem() + "; nothing is done on this node until it is fixed";
        } else if (verdict == Verdict.UNKNOWN) {
            skip = unreadable ? "ReportUnreadable" : neverReported ? "NeverReported" : stale ? "ReportStale" : "ProbeCannotMeasure";
            why = condition(s, verdict, stale, neverReported, null, policy, now).message();
            if (stale && policy.removeTaintWhenStale()) {
                desired = Optional.empty();
            }
        } else {
            Optional<TaintEffect> wanted = Optional.ofNullable(policy.taintFrom().get(verdict));
            if (wanted.isPresent() && current.isEmpty()) {
                Optional<Situation.OthersTaint> others = s.othersTaints().stream()
                        .filter(t -> t.effect().equals(wanted.get().apiName())).findFirst();
                int ceiling = policy.taintCeiling(s.nodes());
                if (others.isPresent()) {
                    // The API refuses two taints of one key and effect; and that one already keeps pods off.
                    skip = "TaintHeldByOthers";
                    heldBack = "not tainted: the node already carries " + others.get() + ", which the operator did not add";
                    why = heldBack + " and leaves alone";
                } else if (s.taintedByUs() >= ceiling) {
                    skip = "TaintCeilingReached";
                    heldBack = "not tainted: the operator's ceiling of " + ceiling + " tainted " + (ceiling == 1 ? "node" : "nodes")
                            + " is reached";
                    why = heldBack + String.format(" (%d of %d nodes carry the taint)", s.taintedByUs(), s.nodes());
                } else {
                    desired = wanted;
                }
            } else if (wanted.isPresent()) {
                desired = wanted;
            } else if (current.isPresent() && verdict == Verdict.HEALTHY) {
                Duration healthyFor = Duration.between(healthySince, now);
                if (healthyFor.compareTo(policy.holdDown()) >= 0) {
                    desired = Optional.empty();
                } else {
                    skip = "HoldDown";
                    why = "Healthy since " + healthySince + "; the taint comes off " + policy.holdDown().toSeconds()
                            + " s after that";
                    requeue = Optional.of(policy.holdDown().minus(healthyFor));
                }
            }
            // Warning with a taint keeps it: only Healthy, held down, clears.
        }
        NodeCondition condition = condition(s, verdict, stale, neverReported, heldBack, policy, now);

        List<Event> events = new ArrayList<>();
        List<String> actions = new ArrayList<>();
        boolean taintChanges = !desired.equals(current);
        boolean touchesNode = !policy.dryRun() && s.nodeExists();
        if (policy.dryRun()) {
            if (taintChanges) {
                String action = describe(current, desired) + NOT_DONE;
                if (!action.equals(s.lastIntendedAction())) {
                    actions.add(action);
                    events.add(new Event(Target.NODE_HEALTH, false, "DryRun", action));
                }
                desired = current;
                skip = "DryRun";
                why = action;
            }
        } else if (taintChanges) {
            String action = describe(current, desired);
            actions.add(action + DONE);
            String reason = desired.isEmpty() ? "DentryPressureUntainted" : current.isEmpty() ? "DentryPressureTainted"
                    : "DentryPressureTaintUpdated";
            String message = action + ": " + (desired.isEmpty() ? untaintReason(s, stale) : join("verdict " + label(verdict), ", ", s.reasons()));
            events.add(new Event(Target.NODE, desired.isPresent(), reason, message));
            events.add(new Event(Target.NODE_HEALTH, desired.isPresent(), reason, message));
        }
        // A first condition is announced only when it reports a problem: installing the operator on
        // a healthy cluster must not emit an Event per node.
        boolean conditionChanges = s.condition().map(c -> !c.status().equals(condition.status())
                || !c.reason().equals(condition.reason())).orElse(condition.status().equals("True"));
        if (touchesNode && conditionChanges) {
            events.add(new Event(Target.NODE, !condition.status().equals("False"), condition.reason(), condition.message()));
        }
        // A NodeHealth the probe has only just created is not news; its condition says Unknown meanwhile.
        if (skip != null && !skip.equals(s.skipReason()) && !skip.equals("DryRun") && !(neverReported && isQuietBeforeReport(skip))) {
            boolean warning = WARNING_SKIPS.contains(skip);
            events.add(new Event(Target.NODE_HEALTH, warning, skip, why));
            if (skip.equals("TaintCeilingReached")) {
                // kubectl describe node must say why a Degraded node has no taint.
                events.add(new Event(Target.NODE, warning, skip, why));
            }
        }
        return new Decision(desired, condition, touchesNode, events, healthySince, skip, skip == null ? null : why, actions, requeue);
    }

    private static boolean isQuietBeforeReport(String skip) {
        return skip.equals("NeverReported") || skip.equals("Paused");
    }

    /** No report, or none for longer than the policy's stale time. */
    public static boolean isStale(Verdict reported, Instant lastReport, Policy policy, Instant now) {
        return reported == null || lastReport == null || Duration.between(lastReport, now).compareTo(policy.staleAfter()) > 0;
    }

    /** The verdict the operator acts on: the probe's, or Unknown when the report is stale. */
    public static Verdict effectiveVerdict(Verdict reported, Instant lastReport, Policy policy, Instant now) {
        return isStale(reported, lastReport, policy, now) ? Verdict.UNKNOWN : reported;
    }

    /** @param heldBack why a taint the verdict calls for is not there, null when it is not held back */
    private static NodeCondition condition(Situation s, Verdict verdict, boolean stale, boolean neverReported, String heldBack,
                                           Policy policy, Instant now) {
        String status;
        String reason;
        String message;
        if (!s.nodeExists()) {
            status = "Unknown";
            reason = "NodeNotFound";
            message = "there is no Node named " + s.node();
        } else if (s.reportProblem() != null) {
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
            message = "no report from the probe since " + s.lastReport() + " (stale after " + policy.staleAfter().toSeconds()
                    + " s); last verdict " + label(s.verdict());
        } else if (verdict == Verdict.UNKNOWN) {
            status = "Unknown";
            reason = "ProbeCannotMeasure";
            message = s.reasons();
        } else {
            status = verdict == Verdict.DEGRADED || verdict == Verdict.CRITICAL ? "True" : "False";
            reason = "DentryCache" + label(verdict);
            message = heldBack == null ? s.reasons() : join(s.reasons(), "; ", heldBack);
        }
        Instant since = s.condition().filter(c -> c.status().equals(status) && c.lastTransitionTime() != null).map(NodeCondition::lastTransitionTime).orElse(now);
        return new NodeCondition(status, reason, Objects.requireNonNullElse(message, ""), since);
    }

    /** Both texts with the separator between, or the one that is not blank (no trailing ", " without reasons). */
    private static String join(String first, String separator, String second) {
        if (first == null || first.isBlank()) {
            return second;
        }
        return second == null || second.isBlank() ? first : first + separator + second;
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
            return "remove taint " + taint(from.orElseThrow());
        }
        if (from.isEmpty()) {
            return "add taint " + taint(to.get());
        }
        return "change taint " + taint(from.get()) + " to " + to.get().apiName();
    }

    /** As kubectl writes it: key=value:Effect. */
    public static String taint(TaintEffect effect) {
        return TAINT_KEY + "=" + TAINT_VALUE + ":" + effect.apiName();
    }

    static String label(Verdict v) {
        String n = v.name();
        return n.charAt(0) + n.substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
