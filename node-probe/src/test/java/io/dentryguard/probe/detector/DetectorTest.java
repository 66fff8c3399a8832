package io.dentryguard.probe.detector;

import static io.dentryguard.api.v1alpha1.Verdict.CRITICAL;
import static io.dentryguard.api.v1alpha1.Verdict.DEGRADED;
import static io.dentryguard.api.v1alpha1.Verdict.HEALTHY;
import static io.dentryguard.api.v1alpha1.Verdict.UNKNOWN;
import static io.dentryguard.api.v1alpha1.Verdict.WARNING;
import static io.dentryguard.probe.detector.Samples.chain;
import static io.dentryguard.probe.detector.Samples.withCanary;
import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.probe.monitor.NodeObservation;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DetectorTest {
    private static final DetectorConfig CONFIG = DetectorConfig.defaults();

    record Step(NodeObservation observation, Verdict expected) {}

    static Step step(NodeObservation o, Verdict expected) {
        return new Step(o, expected);
    }

    /** Runs the steps through the detector from a fresh start and returns the assessments. */
    static List<Assessment> run(DetectorState start, List<Step> steps) {
        DetectorState state = start;
        List<Assessment> out = new ArrayList<>();
        for (Step s : steps) {
            Detection d = Detector.evaluate(state, s.observation(), CONFIG);
            out.add(d.assessment());
            state = d.state();
        }
        return out;
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("a quiet node stays Healthy", List.of(
                        step(chain(0, 0.01), HEALTHY), step(chain(1, 0.01), HEALTHY), step(chain(2, 0.02), HEALTHY))),
                Arguments.of("every level on the way up, then down", List.of(
                        step(chain(0, 0.02), HEALTHY),
                        step(chain(1, 1.2), HEALTHY), step(chain(2, 1.2), WARNING),
                        step(chain(3, 4.8), WARNING), step(chain(4, 4.8), DEGRADED),
                        step(chain(5, 9.6), DEGRADED), step(chain(6, 9.6), CRITICAL),
                        step(chain(7, 0.02), CRITICAL), step(chain(8, 0.02), CRITICAL), step(chain(9, 0.02), HEALTHY))),
                Arguments.of("straight from Healthy to Critical and back to Warning", List.of(
                        step(chain(0, 0.02), HEALTHY), step(chain(1, 14.3), HEALTHY), step(chain(2, 14.3), CRITICAL),
                        step(chain(3, 1.5), CRITICAL), step(chain(4, 1.5), CRITICAL), step(chain(5, 1.5), WARNING))),
                Arguments.of("a probe started on a flooded node says so at once", List.of(
                        step(chain(0, 4.8), DEGRADED), step(chain(1, 4.8), DEGRADED))),
                Arguments.of("a flood in progress warns before the chains are long", List.of(
                        step(Samples.dentries(0, 100_000, 50_000L, null), HEALTHY),
                        step(Samples.dentries(1, 1_300_000, 1_250_000L, null), HEALTHY),
                        step(Samples.dentries(2, 2_500_000, 2_450_000L, null), WARNING),
                        step(Samples.dentries(3, 3_700_000, 3_650_000L, null), WARNING))),
                Arguments.of("a build making real files grows dentries but does not warn on growth", List.of(
                        step(Samples.dentries(0, 100_000, 10_000L, null), HEALTHY),
                        step(Samples.dentries(1, 1_300_000, 60_000L, null), HEALTHY),
                        step(Samples.dentries(2, 2_500_000, 110_000L, null), HEALTHY),
                        step(Samples.dentries(3, 3_700_000, 160_000L, null), HEALTHY))),
                Arguments.of("a noisy single sample neither raises nor clears", List.of(
                        step(chain(0, 0.02), HEALTHY), step(chain(1, 3.0), HEALTHY), step(chain(2, 0.02), HEALTHY),
                        step(chain(3, 3.0), HEALTHY), step(chain(4, 3.0), DEGRADED), step(chain(5, 0.02), DEGRADED),
                        step(chain(6, 3.0), DEGRADED))),
                Arguments.of("unreadable data is Unknown and does not reset the level", List.of(
                        step(chain(0, 4.0), DEGRADED), step(chain(1, 4.0), DEGRADED),
                        step(Samples.unreadable(2), UNKNOWN), step(Samples.unreadable(3), UNKNOWN),
                        step(chain(4, 4.0), DEGRADED))),
                Arguments.of("an old kernel without nr_negative still judges chains", List.of(
                        step(Samples.dentries(0, 20_000_000, null, null), DEGRADED),
                        step(Samples.dentries(1, 40_000_000, null, null), DEGRADED),
                        step(Samples.dentries(2, 40_000_000, null, null), CRITICAL))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void transitions(String name, List<Step> steps) {
        List<Assessment> assessments = run(DetectorState.start(null), steps);
        for (int i = 0; i < steps.size(); i++) {
            assertThat(assessments.get(i).verdict()).as("verdict at sample %d: %s", i, assessments.get(i).reasons())
                    .isEqualTo(steps.get(i).expected());
        }
    }

    @Test
    void reasonsQuoteTheNumbers() {
        List<Assessment> a = run(DetectorState.start(null), List.of(step(chain(0, 0.02), HEALTHY),
                step(chain(1, 4.8), HEALTHY), step(chain(2, 4.8), DEGRADED)));
        assertThat(a.get(2).reasons().get(0))
                .isEqualTo("average hash chain 4.800 (20,132,659 dentries in 4,194,304 buckets) is at or above the Degraded threshold 2.5");
        assertThat(a.get(1).reasons()).contains("this sample points to Degraded; raised after 2 consecutive samples");
        assertThat(a.get(2).chainLength()).isCloseTo(4.8, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void growthIsPerSecondAndItsReasonSaysSo() {
        List<Assessment> a = run(DetectorState.start(null), List.of(
                step(Samples.dentries(0, 100_000, 50_000L, null), HEALTHY),
                step(Samples.dentries(1, 1_300_000, 1_250_000L, null), HEALTHY)));
        assertThat(a.get(1).negativeGrowthPerSecond()).isEqualTo(240_000.0);
        assertThat(a.get(1).reasons()).anyMatch(r -> r.contains("growing by 240,000 per second"));
        assertThat(a.get(0).negativeGrowthPerSecond()).isNull();
    }

    @Test
    void unknownSaysWhy() {
        Assessment a = run(DetectorState.start(null), List.of(step(Samples.unreadable(0), UNKNOWN))).get(0);
        assertThat(a.reasons()).containsExactly("cannot measure: /proc/sys/fs/dentry-state: expected 6 fields, found 3");
        assertThat(a.chainLength()).isNull();
    }

    @Test
    void learnsTheBaselineOnlyFromHealthyCanaryRunsAndThenJudgesTheRatio() {
        List<Assessment> a = run(DetectorState.start(null), List.of(
                step(withCanary(0, 0.01, 4.0), HEALTHY),
                step(withCanary(1, 0.01, 4.4), HEALTHY),
                step(withCanary(2, 0.01, 3.6), HEALTHY),
                step(withCanary(3, 0.6, 8.8), HEALTHY),
                step(withCanary(4, 0.6, 8.8), DEGRADED)));
        assertThat(a.get(1).lookupRatio()).isNull();
        assertThat(a.get(2).baseline().samples()).isEqualTo(3);
        assertThat(a.get(3).lookupRatio()).isEqualTo(2.2);
        assertThat(a.get(4).baseline().samples()).as("a slow canary is not learned").isEqualTo(3);
        assertThat(a.get(4).reasons()).anyMatch(r -> r.startsWith("canary lookups cost 2.20x baseline"));
    }

    @Test
    void aSlowCanaryWithShortChainsIsContentionNotDentryPressure() {
        List<Assessment> a = run(DetectorState.start(null), List.of(
                step(withCanary(0, 0.01, 4.0), HEALTHY),
                step(withCanary(1, 0.01, 4.0), HEALTHY),
                step(withCanary(2, 0.01, 4.0), HEALTHY),
                step(withCanary(3, 0.01, 16.0), HEALTHY),
                step(withCanary(4, 0.01, 16.0), HEALTHY)));
        assertThat(a.get(4).lookupRatio()).isEqualTo(4.0);
        assertThat(a.get(4).reasons()).anyMatch(r -> r.contains("hash chains are too short") && r.contains("not counted"));
        assertThat(a.get(4).baseline().relativeCost()).as("nor learned into the baseline").isEqualTo(4.0);
    }

    @Test
    void startedOnAFloodedNodeItLearnsNoBaseline() {
        List<Assessment> a = run(DetectorState.start(null), List.of(
                step(withCanary(0, 4.8, 9.0), DEGRADED),
                step(withCanary(1, 4.8, 9.0), DEGRADED),
                step(withCanary(2, 4.8, 9.0), DEGRADED)));
        assertThat(a).allSatisfy(x -> {
            assertThat(x.baseline()).isNull();
            assertThat(x.lookupRatio()).isNull();
        });
        assertThat(a.get(2).reasons()).anyMatch(r -> r.startsWith("lookup baseline not learned: hash chains too long (4.80 > 0.5)"));
    }

    @Test
    void aBaselineCarriedAcrossARestartIsUsedAtOnce() {
        LookupBaseline learned = run(DetectorState.start(null), List.of(
                step(withCanary(0, 0.01, 4.0), HEALTHY), step(withCanary(1, 0.01, 4.0), HEALTHY),
                step(withCanary(2, 0.01, 4.0), HEALTHY))).get(2).baseline();
        // The node floods while the probe is down; the restarted probe judges against the old baseline.
        List<Assessment> after = run(DetectorState.start(learned), List.of(step(withCanary(10, 4.8, 12.0), CRITICAL)));
        assertThat(after.get(0).lookupRatio()).isEqualTo(3.0);
        assertThat(after.get(0).baseline()).isEqualTo(learned);
    }

    @Test
    void theSameCanaryRunIsLearnedOnce() {
        NodeObservation first = withCanary(0, 0.01, 4.0);
        NodeObservation sameRunLater = Samples.dentries(1, 40_000, 20_000L, first.canary().value());
        List<Assessment> a = run(DetectorState.start(null), List.of(step(first, HEALTHY), step(sameRunLater, HEALTHY)));
        assertThat(a.get(1).baseline().samples()).isEqualTo(1);
    }

    @Test
    void theBaselineWindowKeepsTheLatestRuns() {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            steps.add(step(withCanary(i, 0.01, i < 5 ? 100.0 : 4.0), HEALTHY));
        }
        List<Assessment> a = run(DetectorState.start(null), steps);
        assertThat(a.get(14).baseline().samples()).isEqualTo(10);
        assertThat(a.get(14).baseline().relativeCost()).isEqualTo(4.0);
    }
}
