package io.dentryguard.operator.decide.remediation;

import io.dentryguard.api.v1alpha1.OffenderStatus;
import io.dentryguard.api.v1alpha1.ReclaimOutcome;
import io.dentryguard.api.v1alpha1.ReclaimRequest;
import io.dentryguard.api.v1alpha1.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import io.dentryguard.api.v1alpha1.Rfc3339;

/**
 * The remediation ladder for one node, as a pure function (docs/remediation.md): reclaim the
 * offender pod's cgroup in place (from Warning by default); if the same pod floods again after that,
 * reclaim once more and then, once the node is Degraded, evict it (within the guard rails); if the
 * node has not recovered a while after it was first seen flooded, node-wide reclaim (also from
 * Warning once an eviction did not heal it: what the pod left is no pod's to reclaim). Recovery is
 * judged by the probe's verdict, never assumed: the ladder stops as soon as the node is Healthy.
 * A node on the ladder stays on it through Warning, as a taint does, so that an offender that keeps
 * flooding below Degraded is reclaimed again rather than declared recovered.
 */
public final class Ladder {
    private Ladder() {}

    public enum Action {
        /** Not on the ladder: the node is not flooded. */
        NONE,
        /** The node recovered: the ladder ends here. */
        RECOVERED,
        /** A request is outstanding or a reclaim is being verified. */
        WAIT,
        /** A rung is called for but may not be taken (a guard rail, a missing capability): the message says which. */
        HOLD,
        REQUEST_POD_RECLAIM,
        EVICT,
        REQUEST_NODE_RECLAIM
    }

    /**
     * @param request for the REQUEST_ actions, what to write to spec.reclaim
     * @param evict   for EVICT, the pod
     * @param next    the ladder state to record (null: off the ladder)
     */
    public record Step(Action action, String message, ReclaimRequest request, PodFacts evict, LadderState next) {}

    public static Step decide(LadderSituation s, RemediationPolicy policy, LadderTimings timings, EvictionGuard.History history,
                              Instant now) {
        if (!s.flooded() && !s.warning()) {
            return s.recorded() == null ? new Step(Action.NONE, "", null, null, null)
                    : new Step(Action.RECOVERED, "the node recovered" + (s.recorded().pod() == null ? "" : " (offender " + s.recorded().pod() + ")"),
                            null, null, null);
        }
        OffenderStatus offender = s.offender();
        boolean actionable = offender != null && offender.getPodUid() != null && offender.getConfidence() != null
                && offender.getConfidence().strength() >= policy.minConfidence().strength();
        if (!s.flooded() && s.recorded() == null && !(actionable && policy.reclaimPods() && policy.reclaimFrom() == Verdict.WARNING
                && s.probeCan().contains(ReclaimRequest.Scope.POD))) {
            // Warning puts a node on the ladder only for an offender the probe can reclaim in place.
            return new Step(Action.NONE, "", null, null, null);
        }
        LadderState state = s.recorded() == null ? LadderState.start(now) : s.recorded();
        if (s.requestOutstanding()) {
            Instant asked = state.lastRequestAt() != null ? state.lastRequestAt()
                    : Optional.ofNullable(Rfc3339.parse(s.request().getRequestedAt())).orElse(now);
            if (Duration.between(asked, now).compareTo(timings.reclaimTimeout()) < 0) {
                return new Step(Action.WAIT, "reclaim " + s.request().getId() + " asked of the probe, no answer yet", null, null, state);
            }
            // Unanswered: it may be asked again, and it counts as no reclaim.
        }
        if (actionable) {
            String name = offender.getPodNamespace() == null ? offender.getPodUid() : offender.getPodNamespace() + "/" + offender.getPodName();
            state = state.working(offender.getPodUid(), name);
            state = countDone(s, state);
            Optional<Step> onPod = podRung(s, state, policy, timings, history, now);
            if (onPod.isPresent()) {
                Step step = onPod.get();
                boolean escalate = step.action() == Action.HOLD && policy.reclaimNode() && s.flooded()
                        && Duration.between(state.since(), now).compareTo(timings.escalateAfter()) >= 0;
                if (!escalate) {
                    return step;
                }
                // The pod rung is held (a guard rail, a probe that cannot reclaim): the node-wide rung is not.
                return nodeRung(s, state, policy, timings, now, step.message());
            }
        }
        if (!actionable && verifyingPodReclaim(state, timings, now)) {
            // Right after a reclaim the probe starts the pod's evidence afresh and may rank it lower for a sample or two,
            // while the verdict still lags the freed dentries: neither is a reason to drop every neighbour's cache.
            return new Step(Action.WAIT, "verifying reclaim " + state.lastRequestId() + " of " + state.pod() + " ("
                    + offenderMissing(offender, policy) + ")", null, null, state);
        }
        return nodeRung(s, state, policy, timings, now, actionable ? "" : offenderMissing(offender, policy));
    }

    /** A pod reclaim was asked less than verify-after ago (and the pod not evicted since). */
    private static boolean verifyingPodReclaim(LadderState state, LadderTimings timings, Instant now) {
        boolean podRequest = state.lastRequestAt() != null && !state.lastRequestAt().equals(state.nodeReclaimAt());
        return podRequest && state.podUid() != null && state.evictedAt() == null
                && Duration.between(state.lastRequestAt(), now).compareTo(timings.verifyAfter()) < 0;
    }

    /** The probe's Done answer to the last request for this pod, counted once. */
    private static LadderState countDone(LadderSituation s, LadderState state) {
        ReclaimOutcome o = s.outcome();
        boolean forThisPod = s.request() != null && state.podUid() != null && state.podUid().equals(s.request().getPodUid());
        if (o != null && o.getResult() == ReclaimOutcome.Result.DONE && o.getId() != null && o.getId().equals(state.lastRequestId())
                && !o.getId().equals(state.lastDoneId()) && forThisPod) {
            return state.done(o.getId());
        }
        return state;
    }

    private static Optional<Step> podRung(LadderSituation s, LadderState state, RemediationPolicy policy, LadderTimings timings,
                                          EvictionGuard.History history, Instant now) {
        boolean canReclaim = policy.reclaimPods() && s.probeCan().contains(ReclaimRequest.Scope.POD);
        if (state.evictedAt() != null) {
            return Optional.empty(); // evicted: what is left is the node-wide rung
        }
        ReclaimOutcome o = s.outcome();
        boolean lastAnswered = o != null && o.getId() != null && o.getId().equals(state.lastRequestId()) && !s.requestOutstanding();
        if (lastAnswered && o.getResult() != ReclaimOutcome.Result.DONE) {
            // The probe could not: asking again would fail again, and a pod never reclaimed is not evicted.
            return Optional.of(new Step(Action.HOLD, "the probe answered reclaim " + o.getId() + " " + outcomeText(o)
                    + (o.getMessage() == null ? "" : " (" + o.getMessage() + ")") + ": " + state.pod() + " is left as it is", null, null, state));
        }
        if (state.reclaims() > 0 && state.lastRequestAt() != null && !s.requestOutstanding()
                && Duration.between(state.lastRequestAt(), now).compareTo(timings.verifyAfter()) < 0) {
            return Optional.of(new Step(Action.WAIT, "verifying reclaim " + state.lastRequestId() + " of " + state.pod(), null, null, state));
        }
        if (state.reclaims() < 2 || !s.flooded()) {
            if (!canReclaim) {
                return Optional.of(new Step(Action.HOLD, "cannot reclaim " + state.pod() + " in place ("
                        + (policy.reclaimPods() ? "the probe cannot: see its status.reclaimLimits" : "remediation.reclaim-pods is off")
                        + "), and only a pod reclaimed twice that floods again is evicted", null, null, state));
            }
            String why;
            if (state.reclaims() == 0) {
                why = "reclaim the offender's cgroup in place";
            } else if (state.reclaims() == 1) {
                why = "it floods again after a reclaim (" + outcomeText(o) + "): reclaim once more before evicting";
            } else {
                // Eviction waits for Degraded; below it, a reclaim in place is cheap and keeps the flood small.
                why = "it floods again after " + state.reclaims() + " reclaims, the node Warning: reclaim in place again"
                        + " (eviction only once the node is Degraded)";
            }
            return Optional.of(requestPod(state, why, now));
        }
        if (s.offenderPod() == null) {
            return Optional.empty(); // its pod is gone: nothing to evict
        }
        Optional<String> refusal = EvictionGuard.refusal(s.offenderPod(), s.offender().getConfidence(), policy, history, now);
        if (refusal.isPresent()) {
            return Optional.of(new Step(Action.HOLD, "not evicting " + state.pod() + ": " + refusal.get(), null, null, state));
        }
        return Optional.of(new Step(Action.EVICT, "evict " + state.pod() + ": it flooded again after " + state.reclaims() + " reclaims",
                null, s.offenderPod(), state.evicted(now)));
    }

    private static Step nodeRung(LadderSituation s, LadderState state, RemediationPolicy policy, LadderTimings timings, Instant now,
                                 String why) {
        Duration flooded = Duration.between(state.since(), now);
        String prefix = why.isEmpty() ? "" : why + "; ";
        // After an eviction what is left (a flood in a directory of the image outlives the container) is no pod's:
        // a node not Healthy verify-after later has only this rung left, Degraded or not.
        boolean evictedPodGone = s.offenderPod() == null || !s.offenderPod().uid().equals(state.podUid());
        boolean evictionDidNotHeal = state.evictedAt() != null && evictedPodGone
                && Duration.between(state.evictedAt(), now).compareTo(timings.verifyAfter()) >= 0;
        if (!s.flooded() && !evictionDidNotHeal) {
            return new Step(Action.WAIT, prefix + "the node is Warning: node-wide reclaim only once it is Degraded"
                    + (state.evictedAt() == null ? "" : " or " + timings.verifyAfter().toSeconds() + " s after an eviction that did not heal it"),
                    null, null, state);
        }
        if (flooded.compareTo(timings.escalateAfter()) < 0) {
            return new Step(Action.WAIT, prefix + "node-wide reclaim only after " + timings.escalateAfter().toMinutes()
                    + " min flooded (" + flooded.toMinutes() + " min so far)", null, null, state);
        }
        if (!policy.reclaimNode()) {
            return new Step(Action.HOLD, prefix + "still flooded after " + flooded.toMinutes() + " min; node-wide reclaim is off", null, null,
                    state);
        }
        if (!s.probeCan().contains(ReclaimRequest.Scope.NODE)) {
            return new Step(Action.HOLD, prefix + "the probe cannot reclaim node-wide: see its status.reclaimLimits", null, null, state);
        }
        if (state.nodeReclaimAt() != null && Duration.between(state.nodeReclaimAt(), now).compareTo(timings.nodeReclaimEvery()) < 0) {
            return new Step(Action.HOLD, prefix + "node-wide reclaim already at " + state.nodeReclaimAt() + ", at most once every "
                    + timings.nodeReclaimEvery().toHours() + " h", null, null, state);
        }
        ReclaimRequest r = request(ReclaimRequest.Scope.NODE, state, now);
        return new Step(Action.REQUEST_NODE_RECLAIM, prefix + "still flooded after " + flooded.toMinutes() + " min: node-wide reclaim", r,
                null, state.requested(r.getId(), now, true));
    }

    private static Step requestPod(LadderState state, String why, Instant now) {
        ReclaimRequest r = request(ReclaimRequest.Scope.POD, state, now);
        return new Step(Action.REQUEST_POD_RECLAIM, why + ": " + state.pod(), r, null, state.requested(r.getId(), now, false));
    }

    private static ReclaimRequest request(ReclaimRequest.Scope scope, LadderState state, Instant now) {
        ReclaimRequest r = new ReclaimRequest();
        r.setId("reclaim-" + UUID.randomUUID());
        r.setScope(scope);
        r.setRequestedAt(now.toString());
        if (scope == ReclaimRequest.Scope.POD) {
            r.setPodUid(state.podUid());
            int slash = state.pod() == null ? -1 : state.pod().indexOf('/');
            if (slash > 0) {
                r.setPodNamespace(state.pod().substring(0, slash));
                r.setPodName(state.pod().substring(slash + 1));
            }
        }
        return r;
    }

    private static String offenderMissing(OffenderStatus offender, RemediationPolicy policy) {
        if (offender == null) {
            return "the probe names no offender";
        }
        if (offender.getPodUid() == null) {
            return "the offender " + offender.getCgroup() + " is not a pod";
        }
        return "the offender is " + (offender.getConfidence() == null ? "of no confidence" : offender.getConfidence().displayName())
                + ", not " + policy.minConfidence().displayName();
    }

    private static String outcomeText(ReclaimOutcome o) {
        if (o == null || o.getResult() == null) {
            return "no answer";
        }
        return o.getResult().displayName() + (o.getFreedNegativeDentries() == null ? "" : ", " + o.getFreedNegativeDentries()
                + " negatives freed");
    }
}
