package io.dentryguard.probe.detector;

/**
 * Everything the detector's judgement depends on besides the samples. Defaults come from the
 * measured slowdown table in docs/probe.md.
 *
 * @param chainLength            average dentries per hash bucket; 1.0 costs a 62k-entry walk ~1.25x,
 *                               2.5 ~1.8x, 8 ~3.2x
 * @param lookupRatio            canary relative cost over its baseline
 * @param canaryMinChainLength   below this chain length a slow canary is not blamed on the dentry
 *                               cache (the chains are physically too short to slow lookups)
 * @param negativeGrowthPerSecond negative dentries per second that make a Warning on their own when
 *                               negatives are also at least {@code negativeShareForGrowth} of all
 * @param raiseAfter             consecutive samples above the current level before it rises
 * @param clearAfter             consecutive samples below the current level before it falls
 * @param baselineMaxChainLength the canary baseline is learned only while chains are this short
 * @param baselineMinSamples     canary runs needed before the baseline is used
 * @param baselineWindow         canary runs the baseline's median is taken over
 */
public record DetectorConfig(
        Thresholds chainLength,
        Thresholds lookupRatio,
        double canaryMinChainLength,
        double negativeGrowthPerSecond,
        double negativeShareForGrowth,
        int raiseAfter,
        int clearAfter,
        double baselineMaxChainLength,
        int baselineMinSamples,
        int baselineWindow) {

    public DetectorConfig {
        require(raiseAfter >= 1, "raiseAfter must be at least 1, got " + raiseAfter);
        require(clearAfter >= 1, "clearAfter must be at least 1, got " + clearAfter);
        require(canaryMinChainLength >= 0, "canaryMinChainLength must not be negative");
        require(negativeGrowthPerSecond > 0, "negativeGrowthPerSecond must be positive");
        require(negativeShareForGrowth >= 0 && negativeShareForGrowth <= 1, "negativeShareForGrowth must be within 0..1");
        require(baselineMaxChainLength > 0 && baselineMaxChainLength < chainLength.warning(),
                "baselineMaxChainLength must be positive and below the chain-length warning threshold");
        require(baselineMinSamples >= 1, "baselineMinSamples must be at least 1");
        require(baselineWindow >= baselineMinSamples, "baselineWindow must be at least baselineMinSamples");
    }

    public static DetectorConfig defaults() {
        return new DetectorConfig(
                new Thresholds(1.0, 2.5, 8.0),
                new Thresholds(1.5, 2.0, 3.0),
                0.5,
                20_000,
                0.5,
                2,
                3,
                0.5,
                3,
                10);
    }

    /** The same settings with other hysteresis counts. */
    public DetectorConfig withHysteresis(int raise, int clear) {
        return new DetectorConfig(chainLength, lookupRatio, canaryMinChainLength, negativeGrowthPerSecond,
                negativeShareForGrowth, raise, clear, baselineMaxChainLength, baselineMinSamples, baselineWindow);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
