package io.dentryguard.demo.story;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.demo.story.VictimLoops.Phase;
import org.junit.jupiter.api.Test;

class VictimLoopsTest {
    @Test
    void loopsAreCountedInThePhaseTheyCameIn() {
        VictimLoops loops = new VictimLoops();
        loops.add(500); // the demo's own start-up: not part of "before"
        loops.enter(Phase.BEFORE);
        for (double ms : new double[] {40, 42, 41}) {
            loops.add(ms);
        }
        loops.enter(Phase.DURING);
        for (double ms : new double[] {60, 80}) {
            loops.add(ms);
        }
        loops.atHeight(true);
        for (double ms : new double[] {70, 90}) {
            loops.add(ms);
        }
        loops.atHeight(false);
        loops.enter(Phase.AFTER);
        loops.add(43);

        assertThat(loops.percentile(Phase.BEFORE, 50)).isEqualTo(41.0);
        assertThat(loops.count(Phase.STARTING)).isEqualTo(1);
        assertThat(loops.percentile(Phase.DURING, 50)).isEqualTo(70.0);
        assertThat(loops.percentile(Phase.DURING, 90)).isEqualTo(90.0);
        assertThat(loops.percentileAtHeight(50)).as("only the loops while the node was Degraded").isEqualTo(70.0);
        assertThat(loops.percentile(Phase.AFTER, 50)).isEqualTo(43.0);
        assertThat(loops.percentile(Phase.SETTLING, 50)).isNull();
        assertThat(loops.count(Phase.DURING)).isEqualTo(4);
    }

    @Test
    void theRecentFigureIsTheMedianOfTheLastFiveLoops() {
        VictimLoops loops = new VictimLoops();
        assertThat(loops.recentMillis()).isNull();
        for (double ms : new double[] {1000, 10, 20, 30, 40, 50}) {
            loops.add(ms);
        }
        assertThat(loops.recentMillis()).isEqualTo(30.0);
    }
}
