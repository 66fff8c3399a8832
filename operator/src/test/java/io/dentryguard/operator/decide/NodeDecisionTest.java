package io.dentryguard.operator.decide;

import static io.dentryguard.api.v1alpha1.Verdict.CRITICAL;
import static io.dentryguard.api.v1alpha1.Verdict.DEGRADED;
import static io.dentryguard.api.v1alpha1.Verdict.HEALTHY;
import static io.dentryguard.api.v1alpha1.Verdict.UNKNOWN;
import static io.dentryguard.api.v1alpha1.Verdict.WARNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.decide.Decision.Event;
import io.dentryguard.operator.decide.Situation.NodeCondition;
import java.time.Duration;
import java.time.Instant;
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
        return new Situation("node-a", verdict, "average hash chain 4.800", NOW.minusSeconds(60), false, false, taint,
                Optional.empty(), null, null, null, 10, taint.isPresent() ? 1 : 0);
    }

    static Situation with(Situation s, Instant lastReport, boolean paused, boolean optedOut, Instant healthySince, int nodes,
                          int tainted) {
        return new Situation(s.node(), s.verdict(), s.reasons(), lastReport, paused, optedOut, s.ourTaint(), s.condition(),
                healthySince, s.skipReason(), s.lastIntendedAction(), nodes, tainted);
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
                Arguments.of("never reported", new Situation("node-a", null, null, null, false, false, NONE, Optional.empty(), null,
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
        assertThat(d.condition()).hasValueSatisfying(c -> assertThat(c.status()).isEqualTo(conditionStatus));
        assertThat(d.skipReason()).isEqualTo(skip);
    }

    @Test
    void taintingSaysSoOnTheNodeAndTheNodeHealth() {
        Decision d = NodeDecision.decide(node(DEGRADED, NONE), Policy.defaults(), NOW);
        assertThat(d.events()).contains(
                new Event(Decision.Target.NODE, true, "DentryPressureTainted",
                        "add taint dentryguard.io/dentry-pressure:NoSchedule: verdict Degraded, average hash chain 4.800"),
                new Event(Decision.Target.NODE_HEALTH, true, "DentryPressureTainted",
                        "add taint dentryguard.io/dentry-pressure:NoSchedule: verdict Degraded, average hash chain 4.800"),
                new Event(Decision.Target.NODE, true, "DentryCacheDegraded", "average hash chain 4.800"));
        assertThat(d.condition().orElseThrow()).isEqualTo(new NodeCondition("True", "DentryCacheDegraded", "average hash chain 4.800", NOW));
        assertThat(d.intendedActions()).containsExactly("add taint dentryguard.io/dentry-pressure:NoSchedule");
    }

    @Test
    void decidingAgainOnTheResultChangesNothing() {
        Situation first = node(DEGRADED, NONE);
        Decision d = NodeDecision.decide(first, Policy.defaults(), NOW);
        Situation applied = new Situation(first.node(), first.verdict(), first.reasons(), first.lastReport(), false, false, d.taint(),
                d.condition(), d.healthySince(), d.skipReason(), null, 10, 1);
        Decision again = NodeDecision.decide(applied, Policy.defaults(), NOW.plusSeconds(30));
        assertThat(again.taint()).isEqualTo(d.taint());
        assertThat(again.condition()).isEqualTo(d.condition());
        assertThat(again.events()).isEmpty();
        assertThat(again.intendedActions()).isEmpty();
    }

    @Test
    void recoveryUntaintsOnlyAfterTheHoldDownCountedFromTheFirstHealthyReport() {
        Policy p = Policy.defaults();
        Situation tainted = node(HEALTHY, NO_SCHEDULE);
        Decision first = NodeDecision.decide(tainted, p, NOW);
        assertThat(first.healthySince()).isEqualTo(NOW);
        assertThat(first.taint()).isEqualTo(NO_SCHEDULE);
        assertThat(first.requeueAfter()).contains(Duration.ofMinutes(5));
        Situation later = new Situation("node-a", HEALTHY, "ok", NOW.plusSeconds(290), false, false, NO_SCHEDULE,
                first.condition(), first.healthySince(), first.skipReason(), null, 10, 1);
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
        assertThat(relapse.healthySince()).isNull();
        assertThat(relapse.taint()).isEqualTo(NO_SCHEDULE);
    }

    @Test
    void dryRunRecordsAndAnnouncesButChangesNothingOnTheNode() {
        Decision d = NodeDecision.decide(node(DEGRADED, NONE), Policy.defaults().withDryRun(true), NOW);
        assertThat(d.taint()).isEmpty();
        assertThat(d.condition()).as("no Node status write either").isEmpty();
        assertThat(d.intendedActions()).containsExactly("add taint dentryguard.io/dentry-pressure:NoSchedule");
        assertThat(d.events()).containsExactly(new Event(Decision.Target.NODE_HEALTH, false, "DryRun",
                "dry-run, not done: add taint dentryguard.io/dentry-pressure:NoSchedule"));
        assertThat(d.skipReason()).isEqualTo("DryRun");
        Situation recorded = new Situation("node-a", DEGRADED, "average hash chain 4.800", NOW.minusSeconds(60), false, false,
                NONE, Optional.empty(), null, d.skipReason(), d.intendedActions().get(0), 10, 0);
        Decision again = NodeDecision.decide(recorded, Policy.defaults().withDryRun(true), NOW.plusSeconds(5));
        assertThat(again.intendedActions()).as("announced once").isEmpty();
        assertThat(again.events()).isEmpty();
    }

    @Test
    void theCeilingIsAnnouncedOnceNotAtEveryReconcile() {
        Situation blocked = with(node(DEGRADED, NONE), NOW.minusSeconds(60), false, false, null, 50, 10);
        Decision first = NodeDecision.decide(blocked, Policy.defaults(), NOW);
        assertThat(first.events()).extracting(Event::reason).contains("TaintCeilingReached");
        assertThat(first.events()).filteredOn(e -> e.reason().equals("TaintCeilingReached"))
                .extracting(Event::message).containsExactly("10 of 50 nodes already carry the taint, the ceiling is 10");
        Situation again = new Situation("node-a", DEGRADED, blocked.reasons(), blocked.lastReport(), false, false, NONE,
                first.condition(), null, first.skipReason(), null, 50, 10);
        assertThat(NodeDecision.decide(again, Policy.defaults(), NOW.plusSeconds(10)).events()).isEmpty();
    }

    @Test
    void theConditionKeepsItsTransitionTimeWhileItsStatusHolds() {
        Instant then = NOW.minusSeconds(3600);
        Situation s = new Situation("node-a", CRITICAL, "chain 9.6", NOW.minusSeconds(10), false, false, NO_SCHEDULE,
                Optional.of(new NodeCondition("True", "DentryCacheDegraded", "chain 4.8", then)), null, null, null, 10, 1);
        Decision d = NodeDecision.decide(s, Policy.defaults(), NOW);
        assertThat(d.condition().orElseThrow().lastTransitionTime()).isEqualTo(then);
        assertThat(d.condition().orElseThrow().reason()).isEqualTo("DentryCacheCritical");
    }

    @Test
    void aFirstConditionIsAnnouncedOnlyWhenItReportsAProblem() {
        assertThat(NodeDecision.decide(node(HEALTHY, NONE), Policy.defaults(), NOW).events()).isEmpty();
        assertThat(NodeDecision.decide(node(WARNING, NONE), Policy.defaults(), NOW).events()).isEmpty();
        assertThat(NodeDecision.decide(node(DEGRADED, NONE), Policy.defaults(), NOW).events()).extracting(Event::reason)
                .containsExactlyInAnyOrder("DentryPressureTainted", "DentryPressureTainted", "DentryCacheDegraded");
        Situation justCreated = new Situation("node-a", null, null, null, false, false, NONE, Optional.empty(), null, null, null, 10, 0);
        Decision d = NodeDecision.decide(justCreated, Policy.defaults(), NOW);
        assertThat(d.events()).as("a NodeHealth the probe has only just created").isEmpty();
        assertThat(d.skipReason()).isEqualTo("NeverReported");
        assertThat(d.condition().orElseThrow().reason()).isEqualTo("NeverReported");
    }

    @Test
    void anUnreadableReportIsNotActedOnAndSaysWhy() {
        Situation s = new Situation("node-a", DEGRADED, "chain 4.8", null, false, false, NONE, Optional.empty(), null, null, null, 10, 0,
                "status.lastReportTime 'yesterday' is not an RFC 3339 time; the report is not acted on");
        Decision d = NodeDecision.decide(s, Policy.defaults(), NOW);
        assertThat(d.taint()).isEmpty();
        assertThat(d.condition().orElseThrow().status()).isEqualTo("Unknown");
        assertThat(d.condition().orElseThrow().reason()).isEqualTo("ReportUnreadable");
        assertThat(d.condition().orElseThrow().message()).contains("'yesterday'");
        assertThat(d.skipReason()).isEqualTo("ReportUnreadable");
        assertThat(d.events()).filteredOn(e -> e.reason().equals("ReportUnreadable")).singleElement()
                .satisfies(e -> assertThat(e.warning()).isTrue());

        Situation tainted = new Situation("node-a", HEALTHY, "", null, false, false, NO_SCHEDULE, Optional.empty(), NOW.minusSeconds(3600),
                null, null, 10, 1, "status.verdict is missing");
        assertThat(NodeDecision.decide(tainted, Policy.defaults(), NOW).taint()).as("an existing taint is kept").isEqualTo(NO_SCHEDULE);
    }

    @Test
    void aStaleReportSaysHowOld() {
        Situation s = with(node(DEGRADED, NO_SCHEDULE), NOW.minusSeconds(1000), false, false, null, 10, 1);
        Decision d = NodeDecision.decide(s, Policy.defaults(), NOW);
        assertThat(d.condition().orElseThrow().message())
                .isEqualTo("no report from the probe for 1000 s (stale after 900 s); last verdict Degraded");
        assertThat(d.events()).extracting(Event::reason).contains("ReportStale");
    }
}
