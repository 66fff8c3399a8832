package io.dentryguard.demo.story;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.demo.story.StorySnapshot.Offender;
import io.dentryguard.demo.story.StorySnapshot.Outcome;
import io.dentryguard.demo.story.StorySnapshot.PodView;
import io.dentryguard.demo.story.StorySnapshot.Remediation;
import io.dentryguard.demo.story.StorySnapshot.Request;
import io.dentryguard.demo.story.TimelineEntry.Event;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StoryChangesTest {
    private static final PodView VICTIM = new PodView("victim-1", "u-v", "victim-rs", "host", "Running", false);
    private static final PodView OFFENDER = new PodView("offender-1", "u-o", "offender-rs", "host", "Running", false);
    private static final StorySnapshot HEALTHY = snapshot("Healthy", false, null, null, null, null, List.of(VICTIM, OFFENDER));

    @Test
    void nothingChangedSaysNothing() {
        assertThat(StoryChanges.between(HEALTHY, HEALTHY, Set.of())).isEmpty();
    }

    @Test
    void aVerdictChangeIsToldWithItsNumbersAndAReturnToHealthyIsARecovery() {
        StorySnapshot degraded = snapshot("Degraded", false, null, null, null, null, List.of(VICTIM, OFFENDER));

        List<StoryChanges.Change> worse = StoryChanges.between(HEALTHY, degraded, Set.of());
        List<StoryChanges.Change> better = StoryChanges.between(degraded, HEALTHY, Set.of());

        assertThat(worse).extracting(StoryChanges.Change::event).containsExactly(Event.VERDICT_CHANGED);
        assertThat(worse.get(0).message()).contains("Healthy -> Degraded", "chain 1.234", "3,000,000 negative dentries", "average hash chain");
        assertThat(worse.get(0).fields()).containsEntry("to", "Degraded").containsEntry("negativeDentries", 3_000_000L);
        assertThat(better).extracting(StoryChanges.Change::event).containsExactly(Event.VERDICT_CHANGED, Event.RECOVERED);
    }

    @Test
    void theFirstReportIsNotARecovery() {
        assertThat(StoryChanges.between(null, HEALTHY, Set.of())).extracting(StoryChanges.Change::event).containsExactly(Event.VERDICT_CHANGED);
    }

    @Test
    void taintOnAndOff() {
        StorySnapshot tainted = snapshot("Healthy", true, null, null, null, null, List.of(VICTIM, OFFENDER));

        assertThat(StoryChanges.between(HEALTHY, tainted, Set.of())).singleElement()
                .satisfies(c -> assertThat(c.message()).contains("dentryguard.io/dentry-pressure=dentry-guard:NoSchedule"))
                .extracting(StoryChanges.Change::event).isEqualTo(Event.TAINT_ADDED);
        assertThat(StoryChanges.between(tainted, HEALTHY, Set.of())).extracting(StoryChanges.Change::event).containsExactly(Event.TAINT_REMOVED);
    }

    @Test
    void anOffenderIsNamedOnceAgainWhenItTurnsHighAndWhenAnotherPodIsNamed() {
        Offender medium = new Offender("demo", "offender-1", "u-o", "Medium", 0.5, "growth");
        Offender high = new Offender("demo", "offender-1", "u-o", "High", 0.97, "growth");
        StorySnapshot named = snapshot("Warning", false, medium, null, null, null, List.of(VICTIM, OFFENDER));
        StorySnapshot sure = snapshot("Warning", false, high, null, null, null, List.of(VICTIM, OFFENDER));

        assertThat(StoryChanges.between(named, named, Set.of())).isEmpty();
        assertThat(StoryChanges.between(named, sure, Set.of())).singleElement()
                .satisfies(c -> assertThat(c.message()).contains("demo/offender-1", "High", "0.97"));
        assertThat(StoryChanges.between(sure, named, Set.of())).as("High to Medium right after a reclaim is no news").isEmpty();
        Offender other = new Offender("demo", "other-1", "u-x", "Medium", 0.6, "growth");
        assertThat(StoryChanges.between(sure, snapshot("Warning", false, other, null, null, null, List.of(VICTIM, OFFENDER)), Set.of()))
                .singleElement().satisfies(c -> assertThat(c.message()).contains("demo/other-1"));
    }

    @Test
    void aRequestAndItsAnswerAreToldOnceEach() {
        Request pod = new Request("r1", "Pod", "demo", "offender-1", "u-o");
        Outcome done = new Outcome("r1", "Done", 1_500_000L, 300_000_000L, 1.4, null);
        StorySnapshot asked = snapshot("Degraded", true, null, pod, null, null, List.of(VICTIM, OFFENDER));
        StorySnapshot answered = snapshot("Degraded", true, null, pod, done, null, List.of(VICTIM, OFFENDER));

        assertThat(StoryChanges.between(HEALTHY, asked, Set.of())).extracting(StoryChanges.Change::event)
                .contains(Event.RECLAIM_REQUESTED);
        assertThat(StoryChanges.between(asked, answered, Set.of())).singleElement()
                .satisfies(c -> assertThat(c.message()).contains("r1", "Done", "1,500,000", "1.4 s"))
                .satisfies(c -> assertThat(c.fields()).containsEntry("result", "Done"));
        assertThat(StoryChanges.between(answered, answered, Set.of())).isEmpty();
    }

    @Test
    void aNodeRequestSaysItDropsTheWholeNodesCaches() {
        StorySnapshot asked = snapshot("Degraded", true, null, new Request("r9", "Node", null, null, null), null, null, List.of(VICTIM));
        assertThat(StoryChanges.between(HEALTHY, asked, Set.of())).filteredOn(c -> c.event() == Event.RECLAIM_REQUESTED).singleElement()
                .satisfies(c -> assertThat(c.message()).contains("whole node"));
    }

    @Test
    void anEvictionThenTheReplacementOnTheOtherNode() {
        Remediation evicted = new Remediation("Evict", "repeat offender", "2026-11-30T14:00:00Z", "demo/offender-1", "ReplicaSet demo/offender-rs", null);
        StorySnapshot afterEviction = snapshot("Degraded", true, null, null, null, evicted, List.of(VICTIM));
        PodView replacement = new PodView("offender-2", "u-o2", "offender-rs", "virtual-node-1", "Pending", false);
        StorySnapshot replaced = snapshot("Degraded", true, null, null, null, evicted, List.of(VICTIM, replacement));

        List<StoryChanges.Change> evictedChanges = StoryChanges.between(HEALTHY, afterEviction, Set.of());
        assertThat(evictedChanges).extracting(StoryChanges.Change::event).contains(Event.EVICTED, Event.POD_REMOVED);
        assertThat(evictedChanges).filteredOn(c -> c.event() == Event.POD_REMOVED).singleElement()
                .satisfies(c -> assertThat(c.fields()).containsEntry("owner", "offender-rs"));
        // The removal was seen at an earlier look: the caller remembers whose pods went.
        assertThat(StoryChanges.between(afterEviction, replaced, Set.of("offender-rs"))).singleElement()
                .satisfies(c -> assertThat(c.event()).isEqualTo(Event.REPLACEMENT_PLACED))
                .satisfies(c -> assertThat(c.fields()).containsEntry("node", "virtual-node-1"));
    }

    @Test
    void aReplacementSeenInTheSameLookAsTheRemovalOrWhileTheOldPodTerminatesIsStillAReplacement() {
        PodView replacement = new PodView("offender-2", "u-o2", "offender-rs", "virtual-node-1", "Pending", false);
        PodView terminating = new PodView("offender-1", "u-o", "offender-rs", "host", "Running", true);

        assertThat(StoryChanges.between(HEALTHY, snapshot("Healthy", false, null, null, null, null, List.of(VICTIM, replacement)), Set.of()))
                .extracting(StoryChanges.Change::event).containsExactly(Event.POD_REMOVED, Event.REPLACEMENT_PLACED);
        assertThat(StoryChanges.between(HEALTHY, snapshot("Healthy", false, null, null, null, null, List.of(VICTIM, terminating, replacement)),
                Set.of())).extracting(StoryChanges.Change::event).containsExactly(Event.REPLACEMENT_PLACED);
    }

    @Test
    void theDemosOwnFirstPodsAreNotReplacements() {
        StorySnapshot empty = snapshot("Healthy", false, null, null, null, null, List.of());
        assertThat(StoryChanges.between(empty, HEALTHY, Set.of())).isEmpty();
    }

    private static StorySnapshot snapshot(String verdict, boolean tainted, Offender offender, Request request, Outcome outcome,
                                          Remediation remediation, List<PodView> pods) {
        return new StorySnapshot(verdict, "Degraded".equals(verdict) ? List.of("average hash chain 1.234 >= 0.824") : List.of(),
                "Degraded".equals(verdict) ? 1.234 : 0.05, "Degraded".equals(verdict) ? 3_000_000L : 20_000L, 600_000_000L, offender,
                tainted, tainted ? "dentryguard.io/dentry-pressure=dentry-guard:NoSchedule" : null, request, outcome, remediation, pods);
    }
}
