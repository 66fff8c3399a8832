package io.dentryguard.operator.decide;

import io.dentryguard.api.v1alpha1.Rfc3339;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.decide.Decision.Event;
import io.dentryguard.operator.decide.Decision.Target;
import io.dentryguard.operator.decide.Situation.NodeCondition;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides, as a pure function of one node's situation, the policy and the time, which taint and
 * Node condition the node should carry, which Events to emit and what the operator's NodeHealth
 * status fields should read. Applying is left to adapters that only write differences. Every
 * message is stable while the situation is (it names when, never how long ago), so that deciding
 * again on an unchanged situation writes nothing.
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

    private NodeDecision() {}

    /** What is held back, and why in a sentence. */
    private record Skip(SkipReason reason, String why) {}

    public static Decision decide(Situation s, Policy policy, Instant now) {
        if (!s.nodeExists() && s.ownedByNode()) {
            // Its Node is gone and the garbage collector deletes it next: nothing to say, nothing to write.
            return new Decision(Optional.empty(), Optional.empty(), !policy.dryRun(), condition(s, Verdict.UNKNOWN, false, false, null,
                    policy, now), false, List.of(), null, null, s.recorded(), Optional.empty());
        }
        boolean unreadable = s.reportProblem() != null;
        boolean neverReported = !unreadable && (s.lastReport() == null || s.verdict() == null);
        boolean stale = !unreadable && !neverReported && isStale(s.verdict(), s.lastReport(), policy, now);
        // Nothing is done on a report that cannot be read: it counts as a probe that cannot measure.
        Verdict verdict = unreadable ? Verdict.UNKNOWN : effectiveVerdict(s.verdict(), s.lastReport(), policy, now);
        Instant healthySince = verdict != Verdict.HEALTHY ? null : healthySince(s, now);

        Optional<TaintEffect> current = s.ourTaint();
        Optional<TaintEffect> desired = current;
        Skip skip = null;
        String heldBack = null;
        Optional<Duration> requeue = Optional.empty();
        if (!s.nodeExists()) {
            skip = new Skip(SkipReason.NODE_NOT_FOUND, "there is no Node named " + s.node() + "; nothing is done until one appears");
        } else if (s.optedOut()) {
            desired = Optional.empty();
            skip = new Skip(SkipReason.OPTED_OUT, "node is labelled dentryguard.io/ignore=true");
        } else if (s.paused()) {
            skip = new Skip(SkipReason.PAUSED, "NodeHealth spec.paused is true");
        } else if (s.specProblem() != null) {
            skip = new Skip(SkipReason.SPEC_UNREADABLE, s.specProblem() + "; nothing is done on this node until it is fixed");
        } else if (verdict == Verdict.UNKNOWN) {
            SkipReason reason = unreadable ? SkipReason.REPORT_UNREADABLE : neverReported ? SkipReason.NEVER_REPORTED
                    : stale ? SkipReason.REPORT_STALE : SkipReason.PROBE_CANNOT_MEASURE;
            skip = new Skip(reason, condition(s, verdict, stale, neverReported, null, policy, now).message());
            if (stale && policy.removeTaintWhenStale()) {
                desired = Optional.empty();
            }
        } else {
            Optional<TaintEffect> wanted = Optional.ofNullable(policy.taintFrom().get(verdict));
            if (wanted.isPresent() && !wanted.equals(current)) {
                Optional<Situation.OthersTaint> others = s.othersTaints().stream()
                        .filter(t -> t.effect().equals(wanted.get().apiName())).findFirst();
                int ceiling = policy.taintCeiling(s.nodes());
                if (others.isPresent()) {
                    // The API refuses two taints of one key and effect (for an add or a change); and that one
                    // already keeps pods off.
                    heldBack = "not " + (current.isEmpty() ? "tainted" : "changed to " + wanted.get().apiName())
                            + ": the node already carries " + others.get() + ", which the operator did not add";
                    skip = new Skip(SkipReason.TAINT_HELD_BY_OTHERS, heldBack + " and leaves alone");
                } else if (current.isEmpty() && s.taintedByUs() >= ceiling) {
                    heldBack = "not tainted: the operator's ceiling of " + ceiling + " tainted " + (ceiling == 1 ? "node" : "nodes")
                            + " is reached";
                    skip = new Skip(SkipReason.TAINT_CEILING_REACHED,
                            heldBack + String.format(" (%d of %d nodes carry the taint)", s.taintedByUs(), s.nodes()));
                } else {
                    desired = wanted;
                }
            } else if (current.isPresent() && verdict == Verdict.HEALTHY) {
                Duration healthyFor = Duration.between(healthySince, now);
                if (healthyFor.compareTo(policy.holdDown()) >= 0) {
                    desired = Optional.empty();
                } else {
                    skip = new Skip(SkipReason.HOLD_DOWN, "Healthy since " + healthySince + "; the taint comes off "
                            + policy.holdDown().toSeconds() + " s after that");
                    requeue = Optional.of(policy.holdDown().minus(healthyFor));
                }
            }
            // Warning with a taint keeps it: only Healthy, held down, clears.
        }
        NodeCondition condition = condition(s, verdict, stale, neverReported, heldBack, policy, now);

        List<Event> events = new ArrayList<>();
        Optional<TaintChange> change = TaintChange.between(current, desired);
        Optional<TaintChange> recorded = change;
        boolean touchesNode = !policy.dryRun() && s.nodeExists();
        if (policy.dryRun() && change.isPresent()) {
            String intended = change.get().recorded(false);
            // Announced once while it lasts, not at every reconcile: the last recorded action says whether it was.
            if (intended.equals(s.recorded().lastAction()) && s.skipReason() == SkipReason.DRY_RUN) {
                recorded = Optional.empty();
            } else {
                events.add(new Event(Target.NODE_HEALTH, false, SkipReason.DRY_RUN.reason(), intended));
            }
            desired = current;
            skip = new Skip(SkipReason.DRY_RUN, intended);
        } else if (change.isPresent()) {
            TaintChange c = change.get();
            String reason = switch (c.kind()) {
                case ADD -> "DentryPressureTainted";
                case REMOVE -> "DentryPressureUntainted";
                case CHANGE -> "DentryPressureTaintUpdated";
            };
            String message = c.describe() + ": " + (desired.isEmpty() ? untaintReason(s, stale)
                    : join("verdict " + verdict.displayName(), ", ", s.reasons()));
            events.add(new Event(Target.NODE, desired.isPresent(), reason, message));
            events.add(new Event(Target.NODE_HEALTH, desired.isPresent(), reason, message));
        }
        // A condition is announced when its status or reason changes; a first one only when it reports
        // a problem: installing the operator on a healthy cluster must not emit an Event per node.
        boolean announced = s.condition().map(c -> !condition.status().equals(c.status()) || !condition.reason().equals(c.reason()))
                .orElse(condition.status().equals("True"));
        if (touchesNode && announced) {
            events.add(new Event(Target.NODE, !condition.status().equals("False"), condition.reason(), condition.message()));
        }
        // A NodeHealth the probe has only just created is not news; its condition says Unknown meanwhile.
        if (skip != null && skip.reason() != s.skipReason() && skip.reason() != SkipReason.DRY_RUN
                && !(neverReported && (skip.reason() == SkipReason.NEVER_REPORTED || skip.reason() == SkipReason.PAUSED))) {
            events.add(new Event(Target.NODE_HEALTH, skip.reason().warning(), skip.reason().reason(), skip.why()));
            if (skip.reason() == SkipReason.TAINT_CEILING_REACHED) {
                // kubectl describe node must say why a Degraded node has no taint.
                events.add(new Event(Target.NODE, skip.reason().warning(), skip.reason().reason(), skip.why()));
            }
        }
        NodeHealthFields want = new NodeHealthFields(desired.isPresent(), healthySince == null ? null : healthySince.toString(),
                skip == null ? null : skip.reason().reason(), actionsAfter(s.recorded(), recorded, !policy.dryRun(), now),
                conditionsAfter(s, condition));
        return new Decision(desired, change, !policy.dryRun(), condition, touchesNode, events, skip == null ? null : skip.reason(),
                skip == null ? null : skip.why(), want, requeue);
    }

    /**
     * Since when the node has been Healthy: the probe's word first (the operator may have been down when
     * the verdict changed), but never before the operator last tainted the node, which a rolled-back
     * probe's leftover verdictSince or a probe clock running behind would otherwise claim.
     */
    private static Instant healthySince(Situation s, Instant now) {
        if (s.verdictSince() == null) {
            return s.healthySince() != null ? s.healthySince() : now;
        }
        Instant tainted = s.recorded().lastTaintedAt();
        return tainted != null && tainted.isAfter(s.verdictSince()) ? tainted : s.verdictSince();
    }

    /** The recorded actions with {@code change} added, the oldest dropped beyond the number kept. */
    private static List<String> actionsAfter(NodeHealthFields recorded, Optional<TaintChange> change, boolean done, Instant now) {
        List<String> actions = new ArrayList<>(recorded.intendedActions());
        change.ifPresent(c -> actions.add(c.recorded(done, now)));
        return actions.subList(Math.max(0, actions.size() - NodeHealthFields.KEPT_ACTIONS), actions.size());
    }

    /** The operator's condition in the NodeHealth's status, as recorded. */
    private static Optional<Condition> recordedElement(Situation s) {
        return s.recorded().conditions().stream().filter(x -> CONDITION_TYPE.equals(x.getType())).findFirst();
    }

    /** The same, as the decision compares conditions. */
    private static Optional<NodeCondition> recordedCondition(Situation s) {
        return recordedElement(s)
                .map(x -> new NodeCondition(x.getStatus(), x.getReason(), x.getMessage(), Rfc3339.parse(x.getLastTransitionTime())));
    }

    /** The NodeHealth's conditions with the operator's replaced when it differs or was decided on another generation. */
    private static List<Condition> conditionsAfter(Situation s, NodeCondition c) {
        List<Condition> conditions = s.recorded().conditions();
        // A spec change (spec.paused) is decided on like any other, so the condition names the new generation. A status
        // write does not bump the generation, so following it costs one write per spec change, not a write per write.
        boolean sameGeneration = recordedElement(s).map(x -> Objects.equals(x.getObservedGeneration(), s.generation())).orElse(false);
        if (sameGeneration && recordedCondition(s).map(c::sameAs).orElse(false)) {
            return conditions;
        }
        List<Condition> updated = new ArrayList<>(conditions);
        updated.removeIf(x -> CONDITION_TYPE.equals(x.getType()));
        updated.add(new ConditionBuilder().withType(CONDITION_TYPE).withStatus(c.status()).withReason(c.reason())
                .withMessage(c.message()).withLastTransitionTime(c.lastTransitionTime().toString())
                .withObservedGeneration(s.generation()).build());
        return updated;
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
                    + " s); last verdict " + s.verdict().displayName();
        } else if (verdict == Verdict.UNKNOWN) {
            status = "Unknown";
            reason = "ProbeCannotMeasure";
            message = s.reasons();
        } else {
            status = verdict == Verdict.DEGRADED || verdict == Verdict.CRITICAL ? "True" : "False";
            reason = "DentryCache" + verdict.displayName();
            message = heldBack == null ? s.reasons() : join(s.reasons(), "; ", heldBack);
        }
        // The transition time of the condition as it is where it is written: the Node's, unless the Node is
        // left alone (dry-run, no Node), then the NodeHealth's own, or every decision would be a new time.
        Optional<NodeCondition> previous = s.nodeExists() && !policy.dryRun() ? s.condition() : recordedCondition(s);
        // To the second, as the API server stores it: a finer time would never read back equal.
        Instant since = previous.filter(c -> status.equals(c.status()) && c.lastTransitionTime() != null)
                .map(NodeCondition::lastTransitionTime).orElse(now.truncatedTo(ChronoUnit.SECONDS));
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

    /** As kubectl writes it: key=value:Effect. */
    public static String taint(TaintEffect effect) {
        return TAINT_KEY + "=" + TAINT_VALUE + ":" + effect.apiName();
    }
}
