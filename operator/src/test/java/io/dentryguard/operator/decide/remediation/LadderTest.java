package io.dentryguard.operator.decide.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.v1alpha1.OffenderStatus;
import io.dentryguard.api.v1alpha1.OffenderStatus.Confidence;
import io.dentryguard.api.v1alpha1.ReclaimOutcome;
import io.dentryguard.api.v1alpha1.ReclaimRequest;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.decide.remediation.Ladder.Action;
import io.dentryguard.operator.decide.remediation.Ladder.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ladder rung by rung, as a flooded node's reconciles would meet it, with a clock that the test moves. */
class LadderTest {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final RemediationPolicy POLICY = RemediationPolicy.defaults();
    private static final RemediationPolicy WITH_NODE_RUNG = new RemediationPolicy(true, true, true, Verdict.WARNING, Confidence.HIGH, Set.of("kube-system"),
            RemediationPolicy.SYSTEM_CLUSTER_CRITICAL, Duration.ofHours(1), 1, 10);
    private static final LadderTimings TIMINGS = LadderTimings.defaults();
    private static final Set<ReclaimRequest.Scope> BOTH = Set.of(ReclaimRequest.Scope.POD, ReclaimRequest.Scope.NODE);
    private static final PodFacts TRASHER = new PodFacts("shop", "trasher-1", "uid-1", "ReplicaSet", "Deployment shop/trasher", 0, Map.of());

    private static OffenderStatus offender(Confidence c) {
        OffenderStatus o = new OffenderStatus();
        o.setCgroup("kubepods/burstable/poduid-1");
        o.setPodUid("uid-1");
        o.setPodNamespace("shop");
        o.setPodName("trasher-1");
        o.setConfidence(c);
        return o;
    }

    private static ReclaimOutcome done(String id) {
        ReclaimOutcome o = new ReclaimOutcome();
        o.setId(id);
        o.setResult(ReclaimOutcome.Result.DONE);
        o.setFreedNegativeDentries(1_000_000L);
        return o;
    }

    /** One reconcile of a Degraded node: the request the previous step wrote is the one in spec; the outcome is what the probe answered. */
    private static Step step(RemediationPolicy policy, OffenderStatus offender, Step previous, ReclaimRequest request, ReclaimOutcome outcome,
                             Instant now) {
        return step(Verdict.DEGRADED, policy, offender, previous, request, outcome, now);
    }

    private static Step step(Verdict verdict, RemediationPolicy policy, OffenderStatus offender, Step previous, ReclaimRequest request,
                             ReclaimOutcome outcome, Instant now) {
        LadderSituation s = new LadderSituation(verdict, offender, offender == null ? null : TRASHER, request, outcome, BOTH,
                previous == null ? null : previous.next());
        return Ladder.decide(s, policy, TIMINGS, EvictionGuard.History.none(), now);
    }

    @Test
    void aHealthyNodeIsNotOnTheLadderAndARecoveredOneLeavesIt() {
        LadderSituation healthy = new LadderSituation(Verdict.HEALTHY, null, null, null, null, BOTH, null);
        assertThat(Ladder.decide(healthy, POLICY, TIMINGS, EvictionGuard.History.none(), T0).action()).isEqualTo(Action.NONE);
        Step first = step(POLICY, offender(Confidence.HIGH), null, null, null, T0);
        LadderSituation recovered = new LadderSituation(Verdict.HEALTHY, null, null, first.request(), done(first.request().getId()), BOTH, first.next());
        Step end = Ladder.decide(recovered, POLICY, TIMINGS, EvictionGuard.History.none(), T0.plusSeconds(30));
        assertThat(end.action()).isEqualTo(Action.RECOVERED);
        assertThat(end.next()).isNull();
        assertThat(end.message()).contains("shop/trasher-1");
    }

    @Test
    void theWholeLadderForAPodThatKeepsFlooding() {
        Step reclaim1 = step(POLICY, offender(Confidence.HIGH), null, null, null, T0);
        assertThat(reclaim1.action()).isEqualTo(Action.REQUEST_POD_RECLAIM);
        assertThat(reclaim1.request().getScope()).isEqualTo(ReclaimRequest.Scope.POD);
        assertThat(reclaim1.request().getPodUid()).isEqualTo("uid-1");
        assertThat(reclaim1.request().getPodNamespace()).isEqualTo("shop");

        Step waiting = step(POLICY, offender(Confidence.HIGH), reclaim1, reclaim1.request(), null, T0.plusSeconds(10));
        assertThat(waiting.action()).isEqualTo(Action.WAIT);
        assertThat(waiting.message()).contains("no answer yet");

        ReclaimOutcome answered1 = done(reclaim1.request().getId());
        Step verifying = step(POLICY, offender(Confidence.HIGH), waiting, reclaim1.request(), answered1, T0.plusSeconds(15));
        assertThat(verifying.action()).as(verifying.message()).isEqualTo(Action.WAIT);
        assertThat(verifying.message()).startsWith("verifying reclaim");

        Step reclaim2 = step(POLICY, offender(Confidence.HIGH), verifying, reclaim1.request(), answered1, T0.plusSeconds(90));
        assertThat(reclaim2.action()).as(reclaim2.message()).isEqualTo(Action.REQUEST_POD_RECLAIM);
        assertThat(reclaim2.message()).contains("floods again after a reclaim (Done, 1000000 negatives freed)");
        assertThat(reclaim2.request().getId()).isNotEqualTo(reclaim1.request().getId());

        ReclaimOutcome answered2 = done(reclaim2.request().getId());
        Step evict = step(POLICY, offender(Confidence.HIGH), reclaim2, reclaim2.request(), answered2, T0.plusSeconds(180));
        assertThat(evict.action()).as(evict.message()).isEqualTo(Action.EVICT);
        assertThat(evict.evict()).isEqualTo(TRASHER);

        Step after = step(POLICY, offender(Confidence.HIGH), evict, reclaim2.request(), answered2, T0.plusSeconds(240));
        assertThat(after.action()).as("evicted: only the node-wide rung is left, later").isEqualTo(Action.WAIT);
        assertThat(after.message()).contains("node-wide reclaim only after 15 min");
    }

    @Test
    void aWarningNodeHasOnlyAHighOffenderTheProbeCanReclaimReclaimedInPlace() {
        Step early = step(Verdict.WARNING, POLICY, offender(Confidence.HIGH), null, null, null, T0);
        assertThat(early.action()).as(early.message()).isEqualTo(Action.REQUEST_POD_RECLAIM);
        assertThat(early.next().since()).isEqualTo(T0);

        RemediationPolicy fromDegraded = new RemediationPolicy(true, true, false, Verdict.DEGRADED, Confidence.HIGH, Set.of("kube-system"),
                RemediationPolicy.SYSTEM_CLUSTER_CRITICAL, Duration.ofHours(1), 1, 10);
        assertThat(step(Verdict.WARNING, fromDegraded, offender(Confidence.HIGH), null, null, null, T0).action()).isEqualTo(Action.NONE);
        assertThat(step(Verdict.WARNING, POLICY, offender(Confidence.MEDIUM), null, null, null, T0).action()).isEqualTo(Action.NONE);
        assertThat(step(Verdict.WARNING, POLICY, null, null, null, null, T0).action()).isEqualTo(Action.NONE);
        LadderSituation cannot = new LadderSituation(Verdict.WARNING, offender(Confidence.HIGH), TRASHER, null, null,
                Set.of(ReclaimRequest.Scope.NODE), null);
        assertThat(Ladder.decide(cannot, POLICY, TIMINGS, EvictionGuard.History.none(), T0).action())
                .as("a Warning with nothing the probe can do is no reason to go on the ladder").isEqualTo(Action.NONE);
        assertThat(step(Verdict.UNKNOWN, POLICY, offender(Confidence.HIGH), null, null, null, T0).action()).isEqualTo(Action.NONE);
    }

    @Test
    void aPodThatKeepsFloodingBelowDegradedIsReclaimedAgainAndEvictedOnlyOnceTheNodeIsDegraded() {
        Step reclaim1 = step(Verdict.WARNING, POLICY, offender(Confidence.HIGH), null, null, null, T0);
        ReclaimOutcome answered1 = done(reclaim1.request().getId());
        Step verifying = step(Verdict.WARNING, POLICY, offender(Confidence.HIGH), reclaim1, reclaim1.request(), answered1, T0.plusSeconds(15));
        assertThat(verifying.action()).as("Warning after a reclaim is not a recovery").isEqualTo(Action.WAIT);

        Step reclaim2 = step(Verdict.WARNING, POLICY, offender(Confidence.HIGH), verifying, reclaim1.request(), answered1, T0.plusSeconds(90));
        assertThat(reclaim2.action()).as(reclaim2.message()).isEqualTo(Action.REQUEST_POD_RECLAIM);
        ReclaimOutcome answered2 = done(reclaim2.request().getId());

        Step reclaim3 = step(Verdict.WARNING, POLICY, offender(Confidence.HIGH), reclaim2, reclaim2.request(), answered2, T0.plusSeconds(180));
        assertThat(reclaim3.action()).as(reclaim3.message()).isEqualTo(Action.REQUEST_POD_RECLAIM);
        assertThat(reclaim3.message()).contains("after 2 reclaims").contains("eviction only once the node is Degraded");
        ReclaimOutcome answered3 = done(reclaim3.request().getId());

        Step evict = step(Verdict.DEGRADED, POLICY, offender(Confidence.HIGH), reclaim3, reclaim3.request(), answered3, T0.plusSeconds(270));
        assertThat(evict.action()).as(evict.message()).isEqualTo(Action.EVICT);
        assertThat(evict.message()).contains("after 3 reclaims");

        Step healthy = step(Verdict.HEALTHY, POLICY, null, evict, reclaim3.request(), answered3, T0.plusSeconds(300));
        assertThat(healthy.action()).isEqualTo(Action.RECOVERED);
    }

    @Test
    void theNodeRungWaitsForDegraded() {
        Step first = step(WITH_NODE_RUNG, offender(Confidence.MEDIUM), null, null, null, T0);
        Step warning = step(Verdict.WARNING, WITH_NODE_RUNG, offender(Confidence.MEDIUM), first, null, null, T0.plus(TIMINGS.escalateAfter()));
        assertThat(warning.action()).as(warning.message()).isEqualTo(Action.WAIT);
        assertThat(warning.message()).contains("node-wide reclaim only once it is Degraded");

    }

    @Test
    void anEvictionThatDidNotHealTheNodeEscalatesToTheNodeRungEvenAtWarning() {
        // A flood in a directory of the image outlives the container: after the eviction the node is still Warning, tainted,
        // and what is left is no pod's.
        LadderState evicted = new LadderState(T0, "uid-1", "shop/trasher-1", 2, "reclaim-2", "reclaim-2", T0, T0.plusSeconds(200), null);
        LadderSituation s = new LadderSituation(Verdict.WARNING, null, null, null, done("reclaim-2"), BOTH, evicted);

        Step verifying = Ladder.decide(s, WITH_NODE_RUNG, TIMINGS, EvictionGuard.History.none(), T0.plus(TIMINGS.escalateAfter()).minusSeconds(1));
        assertThat(verifying.action()).as("escalate-after still counts from the first sighting: " + verifying.message()).isEqualTo(Action.WAIT);
        Step soon = Ladder.decide(s, WITH_NODE_RUNG, TIMINGS, EvictionGuard.History.none(), T0.plusSeconds(200).plus(TIMINGS.verifyAfter()).minusSeconds(1));
        assertThat(soon.action()).as(soon.message()).isEqualTo(Action.WAIT);
        assertThat(soon.message()).contains("after an eviction that did not heal it");

        Step late = Ladder.decide(s, WITH_NODE_RUNG, TIMINGS, EvictionGuard.History.none(), T0.plus(TIMINGS.escalateAfter()));
        assertThat(late.action()).as(late.message()).isEqualTo(Action.REQUEST_NODE_RECLAIM);
        assertThat(late.request().getScope()).isEqualTo(ReclaimRequest.Scope.NODE);
        assertThat(Ladder.decide(s, POLICY, TIMINGS, EvictionGuard.History.none(), T0.plus(TIMINGS.escalateAfter())).action())
                .as("the node rung off: held, never requested").isEqualTo(Action.HOLD);

        // The evicted pod still there and still named (a long grace period): its leftovers are not yet "no pod's".
        LadderSituation stillThere = new LadderSituation(Verdict.WARNING, offender(Confidence.HIGH), TRASHER, null, done("reclaim-2"), BOTH, evicted);
        Step waiting = Ladder.decide(stillThere, WITH_NODE_RUNG, TIMINGS, EvictionGuard.History.none(), T0.plus(TIMINGS.escalateAfter()));
        assertThat(waiting.action()).as(waiting.message()).isEqualTo(Action.WAIT);
    }

    @Test
    void anOffenderRankedLowerJustAfterItsReclaimDoesNotSetOffTheNodeRung() {
        // Degraded long enough to escalate; reclaim 2 was answered Done a moment ago, and the probe, whose evidence for the
        // pod starts afresh after a reclaim, calls it Medium for a sample while the verdict still lags.
        LadderState reclaimed = new LadderState(T0, "uid-1", "shop/trasher-1", 1, "reclaim-1", "reclaim-2",
                T0.plus(TIMINGS.escalateAfter()), null, null);
        LadderSituation s = new LadderSituation(Verdict.DEGRADED, offender(Confidence.MEDIUM), TRASHER, null, done("reclaim-2"), BOTH, reclaimed);

        Step justAfter = Ladder.decide(s, WITH_NODE_RUNG, TIMINGS, EvictionGuard.History.none(), T0.plus(TIMINGS.escalateAfter()).plusSeconds(8));
        assertThat(justAfter.action()).as(justAfter.message()).isEqualTo(Action.WAIT);
        assertThat(justAfter.message()).startsWith("verifying reclaim reclaim-2 of shop/trasher-1").contains("Medium");

        Step later = Ladder.decide(s, WITH_NODE_RUNG, TIMINGS, EvictionGuard.History.none(),
                T0.plus(TIMINGS.escalateAfter()).plus(TIMINGS.verifyAfter()));
        assertThat(later.action()).as("still Degraded with no High offender once verified: " + later.message()).isEqualTo(Action.REQUEST_NODE_RECLAIM);
    }

    @Test
    void anUnansweredRequestTimesOutAndIsAskedAgain() {
        Step reclaim1 = step(POLICY, offender(Confidence.HIGH), null, null, null, T0);
        Step again = step(POLICY, offender(Confidence.HIGH), reclaim1, reclaim1.request(), null, T0.plus(TIMINGS.reclaimTimeout()));
        assertThat(again.action()).as(again.message()).isEqualTo(Action.REQUEST_POD_RECLAIM);
        assertThat(again.request().getId()).isNotEqualTo(reclaim1.request().getId());
        assertThat(again.next().reclaims()).as("an unanswered request is no reclaim").isZero();
    }

    @Test
    void aPodThatWasNeverReclaimedIsNeverEvicted() {
        // Requests that time out again and again: asked again each time, never counted, never an eviction.
        Step step = step(POLICY, offender(Confidence.HIGH), null, null, null, T0);
        for (int i = 1; i <= 5; i++) {
            step = step(POLICY, offender(Confidence.HIGH), step, step.request(), null,
                    T0.plus(TIMINGS.reclaimTimeout().multipliedBy(i)));
            assertThat(step.action()).as(step.message()).isIn(Action.REQUEST_POD_RECLAIM, Action.WAIT);
        }
        // A Failed answer: held, not asked again, not evicted.
        Step first = step(POLICY, offender(Confidence.HIGH), null, null, null, T0);
        ReclaimOutcome failed = new ReclaimOutcome();
        failed.setId(first.request().getId());
        failed.setResult(ReclaimOutcome.Result.FAILED);
        failed.setMessage("memory.force_empty: Device or resource busy");
        Step held = step(POLICY, offender(Confidence.HIGH), first, first.request(), failed, T0.plusSeconds(30));
        assertThat(held.action()).isEqualTo(Action.HOLD);
        assertThat(held.message()).contains("answered reclaim " + first.request().getId() + " Failed").contains("Device or resource busy");
    }

    @Test
    void aHeldPodRungEscalatesToTheNodeRungWhenItIsOn() {
        PodFacts daemon = new PodFacts("shop", "trasher-1", "uid-1", "DaemonSet", "DaemonSet shop/trasher", 0, Map.of());
        LadderState twoReclaims = new LadderState(T0, "uid-1", "shop/trasher-1", 2, "reclaim-2", "reclaim-2", T0, null, null);
        LadderSituation s = new LadderSituation(Verdict.DEGRADED, offender(Confidence.HIGH), daemon, null, done("reclaim-2"), BOTH, twoReclaims);
        assertThat(Ladder.decide(s, WITH_NODE_RUNG, TIMINGS, EvictionGuard.History.none(), T0.plusSeconds(120)).action())
                .isEqualTo(Action.HOLD);
        Step late = Ladder.decide(s, WITH_NODE_RUNG, TIMINGS, EvictionGuard.History.none(), T0.plus(TIMINGS.escalateAfter()));
        assertThat(late.action()).as(late.message()).isEqualTo(Action.REQUEST_NODE_RECLAIM);
        assertThat(late.message()).contains("belongs to a DaemonSet");
    }

    @Test
    void aGuardRailHoldsTheEviction() {
        PodFacts critical = new PodFacts("shop", "trasher-1", "uid-1", "ReplicaSet", "Deployment shop/trasher",
                RemediationPolicy.SYSTEM_CLUSTER_CRITICAL, Map.of());
        LadderState twoReclaims = new LadderState(T0, "uid-1", "shop/trasher-1", 2, "reclaim-2", "reclaim-2", T0, null, null);
        LadderSituation s = new LadderSituation(Verdict.DEGRADED, offender(Confidence.HIGH), critical, null, done("reclaim-2"), BOTH, twoReclaims);
        Step held = Ladder.decide(s, POLICY, TIMINGS, EvictionGuard.History.none(), T0.plusSeconds(120));
        assertThat(held.action()).isEqualTo(Action.HOLD);
        assertThat(held.message()).contains("not evicting shop/trasher-1").contains("has priority 2000000000");
    }

    @Test
    void aMediumOffenderIsNotWorkedOnButTheNodeEscalatesWhenAllowed() {
        Step first = step(WITH_NODE_RUNG, offender(Confidence.MEDIUM), null, null, null, T0);
        assertThat(first.action()).isEqualTo(Action.WAIT);
        assertThat(first.message()).startsWith("the offender is Medium, not High");

        Step late = step(WITH_NODE_RUNG, offender(Confidence.MEDIUM), first, null, null, T0.plus(TIMINGS.escalateAfter()));
        assertThat(late.action()).as(late.message()).isEqualTo(Action.REQUEST_NODE_RECLAIM);
        assertThat(late.request().getScope()).isEqualTo(ReclaimRequest.Scope.NODE);

        ReclaimOutcome answered = done(late.request().getId());
        Step limited = step(WITH_NODE_RUNG, offender(Confidence.MEDIUM), late, late.request(), answered,
                T0.plus(TIMINGS.escalateAfter()).plus(Duration.ofHours(1)));
        assertThat(limited.action()).isEqualTo(Action.HOLD);
        assertThat(limited.message()).contains("at most once every 6 h");
    }

    @Test
    void theNodeRungIsOffByDefault() {
        Step first = step(POLICY, null, null, null, null, T0);
        Step late = step(POLICY, null, first, null, null, T0.plus(TIMINGS.escalateAfter()));
        assertThat(late.action()).isEqualTo(Action.HOLD);
        assertThat(late.message()).contains("the probe names no offender").contains("node-wide reclaim is off");
    }

    @Test
    void aProbeThatCannotReclaimMeansNoEvictionEither() {
        LadderSituation s = new LadderSituation(Verdict.DEGRADED, offender(Confidence.HIGH), TRASHER, null, null, Set.of(), null);
        Step held = Ladder.decide(s, POLICY, TIMINGS, EvictionGuard.History.none(), T0);
        assertThat(held.action()).isEqualTo(Action.HOLD);
        assertThat(held.message()).contains("the probe cannot").contains("only a pod reclaimed twice that floods again is evicted");
    }

    @Test
    void aNewOffenderStartsItsOwnCount() {
        LadderState twoReclaimsOfAnother = new LadderState(T0, "uid-0", "shop/other", 2, "reclaim-2", "reclaim-2", T0, null, null);
        LadderSituation s = new LadderSituation(Verdict.DEGRADED, offender(Confidence.HIGH), TRASHER, null, done("reclaim-2"), BOTH, twoReclaimsOfAnother);
        Step step = Ladder.decide(s, POLICY, TIMINGS, EvictionGuard.History.none(), T0.plusSeconds(120));
        assertThat(step.action()).isEqualTo(Action.REQUEST_POD_RECLAIM);
        assertThat(step.next().podUid()).isEqualTo("uid-1");
        assertThat(step.next().reclaims()).as("counted when the probe answers Done").isZero();
        assertThat(step.next().since()).as("the episode goes on").isEqualTo(T0);
    }
}
