package io.dentryguard.probe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dentryguard.probe.detector.DetectorConfig;
import java.util.List;
import java.util.Locale;

/**
 * Whether this node's own dentry cache was quiet while the probe sampled it, so that a test may expect
 * what a quiet node shows: every canary run learned into the baseline, and a Healthy verdict. Another
 * host's long chains or a flood in progress skip the test with the figures. Judged from the figures
 * the probe reported (checked against /proc by ProbeCliIT), never from its verdict or baseline, so
 * that a wrong verdict or a baseline not learned still fails the test.
 */
final class QuietNode {
    private static final DetectorConfig DEFAULTS = DetectorConfig.defaults();

    private QuietNode() {}

    static void assumeQuiet(List<JsonNode> samples) {
        for (JsonNode s : samples) {
            JsonNode chain = s.path("chainLength");
            assertThat(chain.isNumber()).as("a chain length in every sample: %s", s).isTrue();
            // Below this the baseline is learned and the canary cannot raise the verdict.
            double limit = Math.min(DEFAULTS.baselineMaxChainLength(), DEFAULTS.canaryMinChainLength());
            assumeTrue(chain.asDouble() < limit, () -> String.format(Locale.ROOT,
                    "this node's hash chains average %.3f, not below %s: no lookup baseline is learned, and the canary counts",
                    chain.asDouble(), limit));
            JsonNode growth = s.path("dentries").path("negativeGrowthPerSecond");
            JsonNode share = s.path("dentries").path("negativeShare");
            assumeFalse(growth.isNumber() && growth.asDouble() >= DEFAULTS.negativeGrowthPerSecond()
                    && share.isNumber() && share.asDouble() >= DEFAULTS.negativeShareForGrowth(), () -> String.format(Locale.ROOT,
                    "negative dentries are growing by %.0f per second on this node (%.0f%% of all): a flood is in progress",
                    growth.asDouble(), share.asDouble() * 100));
        }
    }
}
