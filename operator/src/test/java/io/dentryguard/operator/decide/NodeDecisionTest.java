package io.dentryguard.operator.decide;

import static io.dentryguard.api.v1alpha1.Verdict.CRITICAL;
import static io.dentryguard.api.v1alpha1.Verdict.DEGRADED;
import static io.dentryguard.api.v1alpha1.Verdict.HEALTHY;
import static io.dentryguard.api.v1alpha1.Verdict.UNKNOWN;
import static io.dentryguard.api.v1alpha1.Verdict.WARNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.decide.Decision.Event;
import io.dentryguard.operator.decide.Situation.NodeCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeDecisionTest {
    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    static final Optional<TaintEffect> NONE = Optional.empty();
    static final Optional<TaintEffect> NO_SCHEDULE = Optional.of(TaintEffect.NO_SCHEDULE);

    /** A node that reported a minute ago, in a 10-node cluster with nothing tainted. */
    static Situation node(Verdict verdict, Optional<TaintEffect> taint) {
        return situation("node-a", verdict, "average hash chain 4.800", NOW.minusSeconds(60), false, false, taint,
                Optional.empty(), null, null, null, 10, taint.isPresent() ? 1 : 0);
    }

    static Situation with(Situation s, Instant lastReport, boolean paused, boolean optedOut, Instant healthySince, int nodes,
                          int tainted) {
        return situation(s.node(), s.verdict(), s.reasons(), lastReport, paused, optedOut, s.ourTaint(), s.condition(),
                healthySince, s.recorded().skipReason(), null, nodes, tainted);
    }

    /**
     * A situation of an existing Node with a readable report, and what the operator recorded: since when
     * Healthy, the last skip reason and the last action (without its time).
     */
    static Situation situation(String node, Verdict verdict, String reasons, Instant lastReport, boolean paused, boolean optedOut,
                               Optional<TaintEffect> ourTaint, Optional<NodeCondition> condition, Instant healthySince,
                               String skipReason, String lastAction, int nodes, int taintedByUs) {
        NodeHealthFields recorded = new NodeHealthFields(ourTaint.isPresent(), healthySince == null ? null : healthySince.toString(),
                skipReason, lastAction == null ? List.of() : List.of(NOW.minusSeconds(600) + " " + lastAction), List.of());
        return new Situation(node, verdict, reasons, lastReport, null, null, paused, null, true, true, optedOut, ourTaint, List.of(),
                condition, recorded, 1L, nodes, taintedByUs);
    }

    /** The situation after {@code d} was applied to {@code s}: what the next reconcile sees. */
    static Situation applied(Situation s, Decision d) {
        return new Situation(s.node(), s.verdict(), s.reasons(), s.lastReport(), s.verdictSince(), s.reportProblem(), s.paused(),
                s.specProblem(), s.nodeExists(), s.ownedByNode(), s.optedOut(), d.touchesNode() ? d.taint() : s.ourTaint(),
                s.othersTaints(), d.touchesNode() ? Optional.of(d.condition()) : s.condition(), d.want(), s.generation(), s.nodes(),
                s.taintedByUs() + (d.touchesNode() ? (d.taint().isPresent() ? 1 : 0) - (s.ourTaint().isPresent() ? 1 : 0) : 0));
    }

    /** The actions this decision records, without their time. */
    static List<String> newActions(Situation s, Decision d) {
        return d.want().intendedActions().subList(s.recorded().intendedActions().size(), d.want().intendedActions().size()).stream()
                .map(a -> a.substring(a.indexOf(' ') + 1)).toList();
    }

    static Instant healthySince(Decision d) {
        return d.want().healthySince() == null ? null : Instant.parse(d.want().healthySince());
    }

    static String skip(Decision d) {
        return d.skip() == null ? null : d.skip().reason();
    }

    static Stream<Arguments> taints() {
        Situation degraded = node(DEGRADED, NONE);
        Situation healthyTainted = node(HEALTHY, NO_SCHEDULE);
        return Stream.of(
                Arguments.of("Degraded taints", degraded, Policy.defaults(), NO_SCHEDULE, "True", null),
                Arguments.of("Critical taints", node(CRITICAL, NONE), Policy.defaults(), NO_SCHEDULE, "True", null),
                Arguments.of("Warning does not taint", node(WARNING, NONE), Policy.defaults(), NONE, "False", null),
                Arguments.of("Warning keeps an existing taint", node(WARNING, NO_SCHEDULE), Policy.defaults(), NO_SCHEDULE, "False", null),
                Arguments.of("Healthy keeps the taint during the hold-down",
                        with(healthyTainted, NOW.minusSeconds(60), false, false, NOW.minusSeconds(120), 10, 1),
                        Policy.defaults(), NO_SCHEDULE, "False", "HoldDown"),
                Arguments.of("Healthy past the hold-down untaints",
                        with(healthyTainted, NOW.minusSeconds(60), false, false, NOW.minusSeconds(300), 10, 1),
                        Policy.defaults(), NONE, "False", null),
                Arguments.of("a stale report keeps the taint by default",
                        with(node(DEGRADED, NO_SCHEDULE), NOW.minusSeconds(901), false, false, null, 10, 1),
                        Policy.defaults(), NO_SCHEDULE, "Unknown", "ReportStale"),
                Arguments.of("a stale report removes it when configured",
                        with(node(DEGRADED, NO_SCHEDULE), NOW.minusSeconds(901), false, false, null, 10, 1),
                        Policy.defaults().withRemoveTaintWhenStale(true), NONE, "Unknown", "ReportStale"),
                Arguments.of("a stale Degraded report does not taint",
                        with(degraded, NOW.minusSeconds(901), false, false, null, 10, 0), Policy.defaults(), NONE, "Unknown", "ReportStale"),
                Arguments.of("three heartbeats exactly is not yet stale",
                        with(degraded, NOW.minusSeconds(900), false, false, null, 10, 0), Policy.defaults(), NO_SCHEDULE, "True", null),
                Arguments.of("a probe that cannot measure takes no action", node(UNKNOWN, NONE), Policy.defaults(), NONE, "Unknown",
                        "ProbeCannotMeasure"),
                Arguments.of("never reported", situation("node-a", null, null, null, false, false, NONE, Optional.empty(), null,
                        null, null, 10, 0), Policy.defaults(), NONE, "Unknown", "NeverReported"),
                Arguments.of("paused: no new taint", with(degraded, NOW.minusSeconds(60), true, false, null, 10, 0),
                        Policy.defaults(), NONE, "True", "Paused"),
                Arguments.of("paused: an existing taint stays even when Healthy",
                        with(healthyTainted, NOW.minusSeconds(60), true, false, NOW.minusSeconds(3600), 10, 1),
                        Policy.defaults(), NO_SCHEDULE, "False", "Paused"),
                Arguments.of("opted out: no taint", with(degraded, NOW.minusSeconds(60), false, true, null, 10, 0),
                        Policy.defaults(), NONE, "True", "OptedOut"),
                Arguments.of("opted out: our taint comes off", with(node(DEGRADED, NO_SCHEDULE), NOW.minusSeconds(60), false, true, null, 10, 1),
                        Policy.defaults(), NONE, "True", "OptedOut"),
                Arguments.of("the ceiling holds: 50 nodes, 10 tainted",
                        with(degraded, NOW.minusSeconds(60), false, false, null, 50, 10), Policy.defaults(), NONE, "True",
                        "TaintCeilingReached"),
                Arguments.of("below the ceiling: 50 nodes, 9 tainted",
                        with(degraded, NOW.minusSeconds(60), false, false, null, 50, 9), Policy.defaults(), NO_SCHEDULE, "True", null),
                Arguments.of("the ceiling is at least one node: 3 nodes",
                        with(degraded, NOW.minusSeconds(60), false, false, null, 3, 0), Policy.defaults(), NO_SCHEDULE, "True", null),
                Arguments.of("an already tainted node stays tainted at the ceiling",
                        with(node(DEGRADED, NO_SCHEDULE), NOW.minusSeconds(60), false, false, null, 50, 10), Policy.defaults(),
                        NO_SCHEDULE, "True", null),
                Arguments.of("the effect follows the policy", node(CRITICAL, NO_SCHEDULE),
                        new Policy(Map.of(DEGRADED, TaintEffect.NO_SCHEDULE, CRITICAL, TaintEffect.NO_EXECUTE), Duration.ofMinutes(5),
                                Duration.ofMinutes(5), 3, false, false, 0.2, 1),
                        Optional.of(TaintEffect.NO_EXECUTE), "True", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("taints")
    void decides(String name, Situation s, Policy policy, Optional<TaintEffect> taint, String conditionStatus, String skip) {
        Decision d = NodeDecision.decide(s, policy, NOW);
        assertThat(d.taint()).as("taint").isEqualTo(taint);
        assertThat(d.condition().status()).isEqualTo(conditionStatus);
        assertThat(skip(d)).isEqualTo(skip);
    }

    @Test
    void taintingSaysSoOnTheNodeAndTheNodeHealth() {
        Situation s = node(DEGRADED, NONE);
        Decision d = NodeDecision.decide(s, Policy.defaults(), NOW);
        assertThat(d.events()).contains(
                new Event(Decision.Target.NODE, true, "DentryPressureTainted",
                        "add taint dentryguard.io/dentry-pressure=dentry-guard:NoSchedule: verdict Degraded, average hash chain 4.800"),
                new Event(Decision.Target.NODE_HEALTH, true, "DentryPressureTainted",
                        "add taint dentryguard.io/dentry-pressure=dentry-guard:NoSchedule: verdict Degraded, average hash chain 4.800"),
                new Event(Decision.Target.NODE, true, "DentryCacheDegraded", "average hash chain 4.800"));
        assertThat(d.condition()).isEqualTo(new NodeCondition("True", "DentryCacheDegraded", "average hash chain 4.800", NOW));
        assertThat(newActions(s, d)).containsExactly("add taint dentryguard.io/dentry-pressure=dentry-guard:NoSchedule (done)");
        assertThat(d.want().intendedActions()).containsExactly(NOW + " add taint dentryguard.io/dentry-pressure=dentry-guard:NoSchedule (done)");
        assertThat(d.want().tainted()).isTrue();
        assertThat(d.want().conditions()).singleElement().satisfies(c -> {
            assertThat(c.getReason()).isEqualTo("DentryCacheDegraded");
            assertThat(c.getObservedGeneration()).isEqualTo(1L);
        });
    }

    @Test
    void decidingAgainOnTheResultChangesNothing() {
        Situation first = node(DEGRADED, NONE);
        Decision d = NodeDecision.decide(first, Policy.defaults(), NOW);
        Situation applied = situation(first.node(), first.verdict(), first.reasons(), first.lastReport(), false, false, d.taint(),
                Optional.of(d.condition()), healthySince(d), skip(d), null, 10, 1);
        Decision again = NodeDecision.decide(applied, Policy.defaults(), NOW.plusSeconds(30));
        assertThat(again.taint()).isEqualTo(d.taint());
        assertThat(again.condition()).isEqualTo(d.condition());
        assertThat(again.events()).isEmpty();
        assertThat(newActions(applied, again)).isEmpty();
    }

    @Test
    void recoveryUntaintsOnlyAfterTheHoldDownCountedFromTheFirstHealthyReport() {
        Policy p = Policy.defaults();
        Situation tainted = node(HEALTHY, NO_SCHEDULE);
        Decision first = NodeDecision.decide(tainted, p, NOW);
        assertThat(healthySince(first)).isEqualTo(NOW);
        assertThat(first.taint()).isEqualTo(NO_SCHEDULE);
        assertThat(first.requeueAfter()).contains(Duration.ofMinutes(5));
        Situation later = situation("node-a", HEALTHY, "ok", NOW.plusSeconds(290), false, false, NO_SCHEDULE,
                Optional.of(first.condition()), healthySince(first), skip(first), null, 10, 1);
        Decision atFourFifty = NodeDecision.decide(later, p, NOW.plusSeconds(299));
        assertThat(atFourFifty.taint()).isEqualTo(NO_SCHEDULE);
        assertThat(atFourFifty.requeueAfter()).contains(Duration.ofSeconds(1));
        assertThat(atFourFifty.events()).as("the hold-down is announced once").isEmpty();
        Decision atFive = NodeDecision.decide(later, p, NOW.plusSeconds(300));
        assertThat(atFive.taint()).isEmpty();
        assertThat(atFive.events()).extracting(Event::reason).contains("DentryPressureUntainted");
        assertThat(atFive.events()).allMatch(e -> !e.reason().equals("DentryPressureUntainted") || !e.warning());
    }

    @Test
    void aRelapseDuringTheHoldDownRestartsIt() {
        Decision relapse = NodeDecision.decide(node(WARNING, NO_SCHEDULE), Policy.defaults(), NOW);
        assertThat(healthySince(relapse)).isNull();
        assertThat(relapse.taint()).isEqualTo(NO_SCHEDULE);
    }

    @Test
    void dryRunRecordsAndAnnouncesButChangesNothingOnTheNode() {
        Situation s = node(DEGRADED, NONE);
        Decision d = NodeDecision.decide(s, Policy.defaults().withDryRun(true), NOW);
        assertThat(d.taint()).isEmpty();
        assertThat(d.touchesNode()).as("no Node write at all").isFalse();
        assertThat(d.condition()).as("the NodeHealth still shows the operator's view")
                .isEqualTo(new NodeCondition("True", "DentryCacheDegraded", "average hash chain 4.800", NOW));
        assertThat(newActions(s, d)).containsExactly("add taint dentryguard.io/dentry-pressure=dentry-guard:NoSchedule (dry-run, not done)");
        assertThat(d.events()).containsExactly(new Event(Decision.Target.NODE_HEALTH, false, "DryRun",
                "add taint dentryguard.io/dentry-pressure=dentry-guard:NoSchedule (dry-run, not done)"));
        assertThat(skip(d)).isEqualTo("DryRun");
        Situation recorded = situation("node-a", DEGRADED, "average hash chain 4.800", NOW.minusSeconds(60), false, false,
                NONE, Optional.empty(), null, skip(d), newActions(s, d).get(0), 10, 0);
        Decision again = NodeDecision.decide(recorded, Policy.defaults().withDryRun(true), NOW.plusSeconds(5));
        assertThat(newActions(recorded, again)).as("announced once").isEmpty();
        assertThat(again.events()).isEmpty();
    }

    static final String CEILING_EVENT = "not tainted: the operator's ceiling of 10 tainted nodes is reached (10 of 50 nodes carry the taint)";

    @Test
    void theCeilingIsAnnouncedOnceNotAtEveryReconcile() {
        Situation blocked = with(node(DEGRADED, NONE), NOW.minusSeconds(60), false, false, null, 50, 10);
        Decision first = NodeDecision.decide(blocked, Policy.defaults(), NOW);
        assertThat(first.events()).extracting(Event::reason).contains("TaintCeilingReached");
        assertThat(first.events()).filteredOn(e -> e.reason().equals("TaintCeilingReached"))
                .as("on the Node too: kubectl describe node must say why there is no taint")
                .extracting(Event::target, Event::warning, Event::message).containsExactlyInAnyOrder(
                        tuple(Decision.Target.NODE_HEALTH, true, CEILING_EVENT),
                        tuple(Decision.Target.NODE, true, CEILING_EVENT));
        assertThat(first.condition().message()).isEqualTo(
                "average hash chain 4.800; not tainted: the operator's ceiling of 10 tainted nodes is reached");
        Situation again = situation("node-a", DEGRADED, blocked.reasons(), blocked.lastReport(), false, false, NONE,
                Optional.of(first.condition()), null, skip(first), null, 50, 10);
        assertThat(NodeDecision.decide(again, Policy.defaults(), NOW.plusSeconds(10)).events()).isEmpty();
    }

    @Test
    void theConditionKeepsItsTransitionTimeWhileItsStatusHolds() {
        Instant then = NOW.minusSeconds(3600);
        Situation s = situation("node-a", CRITICAL, "chain 9.6", NOW.minusSeconds(10), false, false, NO_SCHEDULE,
                Optional.of(new NodeCondition("True", "DentryCacheDegraded", "chain 4.8", then)), null, null, null, 10, 1);
        Decision d = NodeDecision.decide(s, Policy.defaults(), NOW);
        assertThat(d.condition().lastTransitionTime()).isEqualTo(then);
        assertThat(d.condition().reason()).isEqualTo("DentryCacheCritical");
    }

    @Test
    void aFirstConditionIsAnnouncedOnlyWhenItReportsAProblem() {
        assertThat(NodeDecision.decide(node(HEALTHY, NONE), Policy.defaults(), NOW).events()).isEmpty();
        assertThat(NodeDecision.decide(node(WARNING, NONE), Policy.defaults(), NOW).events()).isEmpty();
        assertThat(NodeDecision.decide(node(DEGRADED, NONE), Policy.defaults(), NOW).events()).extracting(Event::reason)
                .containsExactlyInAnyOrder("DentryPressureTainted", "DentryPressureTainted", "DentryCacheDegraded");
        Situation justCreated = situation("node-a", null, null, null, false, false, NONE, Optional.empty(), null, null, null, 10, 0);
        Decision d = NodeDecision.decide(justCreated, Policy.defaults(), NOW);
        assertThat(d.events()).as("a NodeHealth the probe has only just created").isEmpty();
        assertThat(skip(d)).isEqualTo("NeverReported");
        assertThat(d.condition().reason()).isEqualTo("NeverReported");
    }

    @Test
    void anUnreadableReportIsNotActedOnAndSaysWhy() {
        Situation s = situation("node-a", DEGRADED, "chain 4.8", null, false, false, NONE, Optional.empty(), null, null, null, 10, 0)
                .withReportProblem("status.lastReportTime 'yesterday' is not an RFC 3339 time; the report is not acted on");
        Decision d = NodeDecision.decide(s, Policy.defaults(), NOW);
        assertThat(d.taint()).isEmpty();
        assertThat(d.condition().status()).isEqualTo("Unknown");
        assertThat(d.condition().reason()).isEqualTo("ReportUnreadable");
        assertThat(d.condition().message()).contains("'yesterday'");
        assertThat(skip(d)).isEqualTo("ReportUnreadable");
        assertThat(d.events()).filteredOn(e -> e.reason().equals("ReportUnreadable")).singleElement()
                .satisfies(e -> assertThat(e.warning()).isTrue());

        Situation tainted = situation("node-a", HEALTHY, "", null, false, false, NO_SCHEDULE, Optional.empty(), NOW.minusSeconds(3600),
                null, null, 10, 1).withReportProblem("status.verdict is missing");
        assertThat(NodeDecision.decide(tainted, Policy.defaults(), NOW).taint()).as("an existing taint is kept").isEqualTo(NO_SCHEDULE);
    }

    @Test
    void aStaleReportSaysSinceWhenSoThatItsConditionStaysTheSame() {
        Situation s = with(node(DEGRADED, NO_SCHEDULE), NOW.minusSeconds(1000), false, false, null, 10, 1);
        Decision d = NodeDecision.decide(s, Policy.defaults(), NOW);
        assertThat(d.condition().message())
                .isEqualTo("no report from the probe since 2026-11-29T11:43:20Z (stale after 900 s); last verdict Degraded");
        assertThat(d.events()).extracting(Event::reason).contains("ReportStale");
        Situation written = situation("node-a", DEGRADED, s.reasons(), s.lastReport(), false, false, NO_SCHEDULE,
                Optional.of(d.condition()), null, skip(d), null, 10, 1);
        for (int minutes = 1; minutes <= 60; minutes++) {
            Decision later = NodeDecision.decide(written, Policy.defaults(), NOW.plusSeconds(60L * minutes));
            assertThat(later.condition()).isEqualTo(d.condition());
            assertThat(later.changesNodeCondition(written)).isFalse();
            assertThat(later.events()).isEmpty();
        }
    }

    @Test
    void theHoldDownCountsFromWhenTheProbeSaysTheVerdictTurnedHealthy() {
        // The operator was down when the node recovered: it has no healthySince of its own.
        Situation s = node(HEALTHY, NO_SCHEDULE).withVerdictSince(NOW.minusSeconds(299));
        Decision d = NodeDecision.decide(s, Policy.defaults(), NOW);
        assertThat(healthySince(d)).isEqualTo(NOW.minusSeconds(299));
        assertThat(d.requeueAfter()).contains(Duration.ofSeconds(1));
        assertThat(NodeDecision.decide(s, Policy.defaults(), NOW.plusSeconds(1)).taint()).isEmpty();
        Situation older = with(node(HEALTHY, NO_SCHEDULE), NOW.minusSeconds(60), false, false, NOW.minusSeconds(10), 10, 1)
                .withVerdictSince(NOW.minusSeconds(400));
        assertThat(NodeDecision.decide(older, Policy.defaults(), NOW).taint()).as("the probe's word over the operator's").isEmpty();
    }

    @Test
    void aTaintWithTheSameKeyThatTheOperatorDidNotAddIsNeitherDuplicatedNorCounted() {
        Situation s = node(DEGRADED, NONE).withOthersTaints(List.of(new Situation.OthersTaint("manual", "NoSchedule")));
        Decision d = NodeDecision.decide(s, Policy.defaults(), NOW);
        assertThat(d.taint()).isEmpty();
        assertThat(skip(d)).isEqualTo("TaintHeldByOthers");
        assertThat(d.condition().message()).isEqualTo("average hash chain 4.800; not tainted: the node already carries "
                + "dentryguard.io/dentry-pressure=manual:NoSchedule, which the operator did not add");
        Situation otherEffect = node(DEGRADED, NONE).withOthersTaints(List.of(new Situation.OthersTaint("manual", "NoExecute")));
        assertThat(NodeDecision.decide(otherEffect, Policy.defaults(), NOW).taint()).as("another effect does not stand in for ours")
                .isEqualTo(NO_SCHEDULE);
    }

    @Test
    void aNodeHealthWithoutANodeSaysSoAndTouchesNoNode() {
        Situation s = node(DEGRADED, NONE).withoutNode().withOwnedByNode(false);
        Decision d = NodeDecision.decide(s, Policy.defaults(), NOW);
        assertThat(d.touchesNode()).isFalse();
        assertThat(d.taint()).isEmpty();
        assertThat(d.condition()).isEqualTo(new NodeCondition("Unknown", "NodeNotFound", "there is no Node named node-a", NOW));
        assertThat(skip(d)).isEqualTo("NodeNotFound");
        assertThat(d.events()).extracting(Event::target).containsOnly(Decision.Target.NODE_HEALTH);
    }

    @Test
    void anUnreadableSpecHoldsEveryActionButTheConditionStillTells() {
        Situation s = node(DEGRADED, NONE).withSpecProblem("spec.paused \"perhaps\" is not true or false");
        Decision d = NodeDecision.decide(s, Policy.defaults(), NOW);
        assertThat(d.taint()).isEmpty();
        assertThat(skip(d)).isEqualTo("SpecUnreadable");
        assertThat(d.condition().status()).isEqualTo("True");
        assertThat(d.events()).filteredOn(e -> e.reason().equals("SpecUnreadable")).singleElement()
                .satisfies(e -> assertThat(e.message()).startsWith("spec.paused \"perhaps\"")).satisfies(e -> assertThat(e.warning()).isTrue());
        Situation healthyTainted = with(node(HEALTHY, NO_SCHEDULE), NOW.minusSeconds(60), false, false, NOW.minusSeconds(3600), 10, 1)
                .withSpecProblem("spec.paused \"perhaps\" is not true or false");
        assertThat(NodeDecision.decide(healthyTainted, Policy.defaults(), NOW).taint()).isEqualTo(NO_SCHEDULE);
    }

    @Test
    void aPausedNodeHealthThatNeverReportedIsNotNews() {
        Situation s = situation("node-a", null, null, null, true, false, NONE, Optional.empty(), null, null, null, 10, 0);
        assertThat(NodeDecision.decide(s, Policy.defaults(), NOW).events()).isEmpty();
    }

    @Test
    void withoutReasonsMessagesEndCleanly() {
        Situation s = situation("node-a", DEGRADED, "", NOW.minusSeconds(60), false, false, NONE, Optional.empty(), null, null, null,
                10, 0);
        assertThat(NodeDecision.decide(s, Policy.defaults(), NOW).events()).extracting(Event::message)
                .contains("add taint dentryguard.io/dentry-pressure=dentry-guard:NoSchedule: verdict Degraded")
                .noneMatch(m -> m.endsWith(", ") || m.endsWith("; "));
    }

    static Stream<Arguments> steadyStates() {
        Situation degraded = node(DEGRADED, NONE);
        return Stream.of(
                Arguments.of("tainted", degraded, Policy.defaults()),
                Arguments.of("dry-run", degraded, Policy.defaults().withDryRun(true)),
                Arguments.of("no Node, created by hand", situation("node-a", DEGRADED, "r", NOW.minusSeconds(60), false, false, NONE,
                        Optional.empty(), null, null, null, 10, 0).withoutNode().withOwnedByNode(false), Policy.defaults()),
                Arguments.of("stale", with(node(DEGRADED, NO_SCHEDULE), NOW.minusSeconds(1000), false, false, null, 10, 1), Policy.defaults()),
                Arguments.of("held back by the ceiling", with(degraded, NOW.minusSeconds(60), false, false, null, 50, 10), Policy.defaults()),
                Arguments.of("unreadable", degraded.withReportProblem("status.verdict \"Exploded\" is not one of ..."), Policy.defaults()),
                Arguments.of("hold-down", with(node(HEALTHY, NO_SCHEDULE), NOW.minusSeconds(30), false, false, NOW.minusSeconds(60), 10, 1),
                        Policy.defaults()));
    }

    /** Once applied, deciding again later on what was written writes nothing: no request per resync, in any of these. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("steadyStates")
    void deciding_again_on_what_was_written_writes_nothing(String name, Situation s, Policy policy) {
        Decision first = NodeDecision.decide(s, policy, NOW);
        Situation written = applied(s, first);
        for (int seconds = 1; seconds <= 50; seconds += 7) {
            Decision again = NodeDecision.decide(written, policy, NOW.plusMillis(seconds * 1000L + 123));
            assertThat(again.changesAnything(written)).as("%d.123 s later: %s", seconds, again).isFalse();
        }
    }

    @Test
    void aChangeOfEffectIsHeldBackBySomeoneElsesTaintOfThatEffectToo() {
        Policy criticalExecutes = new Policy(Map.of(DEGRADED, TaintEffect.NO_SCHEDULE, CRITICAL, TaintEffect.NO_EXECUTE),
                Duration.ofMinutes(5), Duration.ofMinutes(5), 3, false, false, 0.2, 1);
        Situation s = node(CRITICAL, NO_SCHEDULE).withOthersTaints(List.of(new Situation.OthersTaint("manual", "NoExecute")));
        Decision d = NodeDecision.decide(s, criticalExecutes, NOW);
        assertThat(d.taint()).as("ours stays as it is").isEqualTo(NO_SCHEDULE);
        assertThat(d.change()).isEmpty();
        assertThat(skip(d)).isEqualTo("TaintHeldByOthers");
        assertThat(d.condition().message()).endsWith("not changed to NoExecute: the node already carries "
                + "dentryguard.io/dentry-pressure=manual:NoExecute, which the operator did not add");
    }

    @Test
    void theHoldDownNeverStartsBeforeTheOperatorLastTainted() {
        // A probe rolled back to a version without verdictSince leaves the old one in status.
        Instant taintedAt = NOW.minusSeconds(100);
        NodeHealthFields recorded = new NodeHealthFields(true, null, null,
                List.of(taintedAt + " add taint dentryguard.io/dentry-pressure=dentry-guard:NoSchedule (done)"), List.of());
        Situation s = new Situation("node-a", HEALTHY, "r", NOW.minusSeconds(10), NOW.minusSeconds(86_400), null, false, null, true, true,
                false, NO_SCHEDULE, List.of(), Optional.empty(), recorded, 1L, 10, 1);
        Decision d = NodeDecision.decide(s, Policy.defaults(), NOW);
        assertThat(healthySince(d)).isEqualTo(taintedAt);
        assertThat(d.taint()).as("100 s of a 300 s hold-down").isEqualTo(NO_SCHEDULE);
    }

    @Test
    void dryRunAnnouncesAgainWhenTheNodeNeedsTheSameActionAgain() {
        Policy dryRun = Policy.defaults().withDryRun(true);
        Situation degraded = node(DEGRADED, NONE);
        Situation afterFirst = applied(degraded, NodeDecision.decide(degraded, dryRun, NOW));
        Situation healthy = new Situation("node-a", HEALTHY, "r", NOW.plusSeconds(60), null, null, false, null, true, true, false, NONE,
                List.of(), Optional.empty(), afterFirst.recorded(), 1L, 10, 0);
        Situation recovered = applied(healthy, NodeDecision.decide(healthy, dryRun, NOW.plusSeconds(60)));
        Situation again = new Situation("node-a", DEGRADED, "r", NOW.plusSeconds(120), null, null, false, null, true, true, false, NONE,
                List.of(), Optional.empty(), recovered.recorded(), 1L, 10, 0);
        Decision d = NodeDecision.decide(again, dryRun, NOW.plusSeconds(120));
        assertThat(newActions(again, d)).containsExactly("add taint dentryguard.io/dentry-pressure=dentry-guard:NoSchedule (dry-run, not done)");
        assertThat(d.events()).extracting(Event::reason).containsExactly("DryRun");
    }

    @Test
    void aNodeHealthWhoseNodeIsGoneIsLeftToTheGarbageCollector() {
        Situation s = node(DEGRADED, NONE).withoutNode();
        Decision d = NodeDecision.decide(s, Policy.defaults(), NOW);
        assertThat(d.changesAnything(s)).isFalse();
        assertThat(d.events()).isEmpty();
    }

    @Test
    void aNodeConditionWithoutStatusOrReasonIsRewrittenNotAFailure() {
        Situation s = situation("node-a", DEGRADED, "r", NOW.minusSeconds(60), false, false, NO_SCHEDULE,
                Optional.of(new NodeCondition(null, null, null, null)), null, null, null, 10, 1);
        Decision d = NodeDecision.decide(s, Policy.defaults(), NOW);
        assertThat(d.changesNodeCondition(s)).isTrue();
        assertThat(d.condition().reason()).isEqualTo("DentryCacheDegraded");
    }
}
