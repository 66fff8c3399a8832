package io.dentryguard.probe.monitor;

import java.time.Instant;

/**
 * One canary run.
 *
 * @param nsPerLookup          median wall nanoseconds per path component (one hash lookup each)
 * @param relativeCost         median over chunks of lstat time / control time: the figure compared
 *                             with the baseline, because it stays put when the CPU is contended
 * @param chunkNsPerLookup     each chunk's nanoseconds per lookup, for the latency histogram
 */
public record CanaryMeasurement(
        Instant measuredAt,
        double nsPerLookup,
        double relativeCost,
        int paths,
        int lookupsPerPath,
        int passes,
        long elapsedNanos,
        double[] chunkNsPerLookup) {
}
