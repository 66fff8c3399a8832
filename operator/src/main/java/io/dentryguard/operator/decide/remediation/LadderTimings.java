package io.dentryguard.operator.decide.remediation;

import java.time.Duration;

/**
 * How long the ladder waits between rungs.
 *
 * @param reclaimTimeout    a reclaim request the probe has not answered in this time counts as failed
 * @param verifyAfter       after an answered reclaim, how long the pod may take to show it floods again
 * @param escalateAfter     a node still flooded this long after it was first seen flooded gets the node-wide rung
 * @param nodeReclaimEvery  at most one node-wide reclaim per node in this time (each empties every neighbour's cache)
 */
public record LadderTimings(Duration reclaimTimeout, Duration verifyAfter, Duration escalateAfter, Duration nodeReclaimEvery) {
    public LadderTimings {
        for (Duration d : new Duration[] {reclaimTimeout, verifyAfter, escalateAfter, nodeReclaimEvery}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("ladder timings cannot be negative");
            }
        }
    }

    public static LadderTimings defaults() {
        return new LadderTimings(Duration.ofMinutes(2), Duration.ofSeconds(20), Duration.ofMinutes(15), Duration.ofHours(6));
    }
}
