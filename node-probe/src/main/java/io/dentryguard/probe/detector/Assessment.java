package io.dentryguard.probe.detector;

import io.dentryguard.api.v1alpha1.Verdict;
import java.util.List;

/**
 * The detector's answer for one sample, with the derived figures it used. Null figures are unknown.
 *
 * @param candidate       the level this sample alone points to, before hysteresis
 * @param reasons         human-readable, quoting the numbers; never empty
 * @param lookupRatio     canary relative cost over the baseline's
 */
public record Assessment(
        Verdict verdict,
        Verdict candidate,
        List<String> reasons,
        Double chainLength,
        Double negativeShare,
        Double negativeGrowthPerSecond,
        Double lookupRatio,
        LookupBaseline baseline) {

    public Assessment {
        reasons = List.copyOf(reasons);
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("an assessment always says why");
        }
    }
}
