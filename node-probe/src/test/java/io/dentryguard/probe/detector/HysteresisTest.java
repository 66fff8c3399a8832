package io.dentryguard.probe.detector;

import static io.dentryguard.api.v1alpha1.Verdict.CRITICAL;
import static io.dentryguard.api.v1alpha1.Verdict.DEGRADED;
import static io.dentryguard.api.v1alpha1.Verdict.HEALTHY;
import static io.dentryguard.api.v1alpha1.Verdict.WARNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.v1alpha1.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HysteresisTest {

    static Stream<Arguments> sequences() {
        // raiseAfter 2, clearAfter 3: candidates in, levels out
        return Stream.of(
                Arguments.of("one noisy sample does not raise", List.of(WARNING, HEALTHY, WARNING, HEALTHY),
                        List.of(HEALTHY, HEALTHY, HEALTHY, HEALTHY)),
                Arguments.of("two in a row raise", List.of(WARNING, WARNING), List.of(HEALTHY, WARNING)),
                Arguments.of("raise to what both reached", List.of(CRITICAL, DEGRADED), List.of(HEALTHY, DEGRADED)),
                Arguments.of("climb level by level", List.of(WARNING, WARNING, DEGRADED, DEGRADED, CRITICAL, CRITICAL),
                        List.of(HEALTHY, WARNING, WARNING, DEGRADED, DEGRADED, CRITICAL)),
                Arguments.of("straight to critical", List.of(CRITICAL, CRITICAL), List.of(HEALTHY, CRITICAL)),
                Arguments.of("clear needs three below", List.of(DEGRADED, DEGRADED, HEALTHY, HEALTHY, HEALTHY),
                        List.of(HEALTHY, DEGRADED, DEGRADED, DEGRADED, HEALTHY)),
                Arguments.of("a relapse restarts the clearing", List.of(DEGRADED, DEGRADED, HEALTHY, HEALTHY, DEGRADED, HEALTHY, HEALTHY, HEALTHY),
                        List.of(HEALTHY, DEGRADED, DEGRADED, DEGRADED, DEGRADED, DEGRADED, DEGRADED, HEALTHY)),
                Arguments.of("clear to the worst of the three", List.of(CRITICAL, CRITICAL, WARNING, HEALTHY, DEGRADED),
                        List.of(HEALTHY, CRITICAL, CRITICAL, CRITICAL, DEGRADED)),
                Arguments.of("staying at the level changes nothing", List.of(WARNING, WARNING, WARNING, WARNING),
                        List.of(HEALTHY, WARNING, WARNING, WARNING)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void levels(String name, List<Verdict> candidates, List<Verdict> expected) {
        Hysteresis h = Hysteresis.at(HEALTHY);
        List<Verdict> levels = new ArrayList<>();
        for (Verdict c : candidates) {
            h = h.next(c, 2, 3);
            levels.add(h.level());
        }
        assertThat(levels).isEqualTo(expected);
    }

    @ParameterizedTest(name = "raiseAfter 1 follows every sample")
    @MethodSource("sequences")
    void oneAndOneFollowsTheCandidate(String name, List<Verdict> candidates, List<Verdict> ignored) {
        Hysteresis h = Hysteresis.at(HEALTHY);
        for (Verdict c : candidates) {
            h = h.next(c, 1, 1);
            assertThat(h.level()).isEqualTo(c);
        }
    }

    @ParameterizedTest(name = "the first sample sets the level: {0}")
    @org.junit.jupiter.params.provider.EnumSource(value = Verdict.class, names = "UNKNOWN", mode = org.junit.jupiter.params.provider.EnumSource.Mode.EXCLUDE)
    void theFirstSampleSetsTheLevel(Verdict first) {
        assertThat(Hysteresis.start().next(first, 2, 3).level()).isEqualTo(first);
        assertThat(Hysteresis.start().level()).isNull();
    }
}
