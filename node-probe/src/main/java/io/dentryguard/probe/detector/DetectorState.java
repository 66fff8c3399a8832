package io.dentryguard.probe.detector;

import java.time.Instant;

/**
 * What the detector carries from one sample to the next. Immutable; only the baseline outlives a
 * restart (the rest is rebuilt within a few samples).
 *
 * @param previousNegativeAt   time of the last sample with a negative-dentry count, for the rate
 * @param previousNegative     that count, null when none yet
 * @param lastCanaryLearnedAt  the last canary run folded into the baseline, so none counts twice
 */
public record DetectorState(Hysteresis hysteresis, Instant previousNegativeAt, Long previousNegative,
                            LookupBaseline baseline, Instant lastCanaryLearnedAt) {

    public static DetectorState start(LookupBaseline resumedBaseline) {
        return new DetectorState(Hysteresis.start(), null, null, resumedBaseline, null);
    }
}
