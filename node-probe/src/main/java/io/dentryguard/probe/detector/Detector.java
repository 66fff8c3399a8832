package io.dentryguard.probe.detector;

import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.probe.monitor.CanaryMeasurement;
import io.dentryguard.probe.monitor.DentryState;
import io.dentryguard.probe.monitor.NodeObservation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns an observation plus the carried state into a verdict, as a pure function: no clock, no I/O,
 * no randomness, so that every transition can be tested from a table.
 *
 * <p>The average hash-chain length is the primary indicator: it is physical and needs no baseline.
 * Negative-dentry growth gives early warning of a flood in progress. The canary measures the impact
 * on lookups, but is only counted when chains are long enough to explain it: a slow canary with
 * short chains is CPU or I/O contention, not dentry pressure, and saying so keeps the probe from
 * crying wolf on a busy node.
 */
public final class Detector {
    private Detector() {}

    public static Detection evaluate(DetectorState state, NodeObservation obs, DetectorConfig config) {
        if (!obs.dentries().present() || !obs.hashBuckets().present()) {
            List<String> reasons = new ArrayList<>();
            if (!obs.dentries().present()) {
                reasons.add("cannot measure: " + obs.dentries().problem());
            }
            if (!obs.hashBuckets().present()) {
                reasons.add("cannot measure: " + obs.hashBuckets().problem());
            }
            Assessment unknown = new Assessment(Verdict.UNKNOWN, Verdict.UNKNOWN, reasons, null, null, null, null,
                    state.baseline());
            return new Detection(unknown, state);
        }
        DentryState d = obs.dentries().value();
        long buckets = obs.hashBuckets().value().buckets();
        double chain = d.total() / (double) buckets;
        List<String> reasons = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        Verdict chainLevel = config.chainLength().levelOf(chain);
        String chainText = String.format(Locale.ROOT, "average hash chain %.3f (%s dentries in %s buckets)",
                chain, count(d.total()), count(buckets));
        if (chainLevel != Verdict.HEALTHY) {
            reasons.add(chainText + " is at or above the " + chainLevel.displayName() + " threshold "
                    + fmt(config.chainLength().thresholdFor(chainLevel)));
        } else {
            notes.add(chainText);
        }

        Double share = d.negative() == null || d.total() == 0 ? null : d.negative() / (double) d.total();
        Double growth = null;
        if (d.negative() != null && state.previousNegative() != null && obs.time().isAfter(state.previousNegativeAt())) {
            double seconds = Duration.between(state.previousNegativeAt(), obs.time()).toNanos() / 1e9;
            growth = (d.negative() - state.previousNegative()) / seconds;
        }
        Verdict growthLevel = Verdict.HEALTHY;
        if (d.negative() == null) {
            notes.add("negative dentries not counted by this kernel (before 5.0)");
        } else {
            String negText = String.format(Locale.ROOT, "%s negative dentries (%.0f%% of all)", count(d.negative()),
                    share == null ? 0.0 : share * 100);
            if (growth != null && growth >= config.negativeGrowthPerSecond()
                    && share != null && share >= config.negativeShareForGrowth()) {
                growthLevel = Verdict.WARNING;
                reasons.add(String.format(Locale.ROOT, "%s growing by %s per second (threshold %s per second)",
                        negText, count(Math.round(growth)), count(Math.round(config.negativeGrowthPerSecond()))));
            } else {
                notes.add(negText + (growth == null ? "" : String.format(Locale.ROOT, ", %+d per second", Math.round(growth))));
            }
        }

        LookupBaseline baseline = state.baseline();
        Double ratio = null;
        Verdict canaryLevel = Verdict.HEALTHY;
        Instant learnedAt = state.lastCanaryLearnedAt();
        if (obs.canary().present()) {
            CanaryMeasurement c = obs.canary().value();
            boolean ready = baseline != null && baseline.samples() >= config.baselineMinSamples();
            if (ready) {
                ratio = c.relativeCost() / baseline.relativeCost();
                Verdict byRatio = config.lookupRatio().levelOf(ratio);
                String ratioText = String.format(Locale.ROOT, "canary lookups cost %.2fx baseline (%.0f ns per lookup, baseline %.0f ns)",
                        ratio, c.nsPerLookup(), baseline.nsPerLookup());
                if (byRatio == Verdict.HEALTHY) {
                    notes.add(ratioText);
                } else if (chain >= config.canaryMinChainLength()) {
                    canaryLevel = byRatio;
                    reasons.add(ratioText + " is at or above the " + byRatio.displayName() + " threshold "
                            + fmt(config.lookupRatio().thresholdFor(byRatio)));
                } else {
                    notes.add(ratioText + String.format(Locale.ROOT,
                            ", but hash chains are too short (%.2f < %s) for the dentry cache to explain it: not counted",
                            chain, fmt(config.canaryMinChainLength())));
                }
            }
            boolean fresh = learnedAt == null || c.measuredAt().isAfter(learnedAt);
            boolean healthyEnough = chain <= config.baselineMaxChainLength() && growthLevel == Verdict.HEALTHY
                    && canaryLevel == Verdict.HEALTHY;
            if (fresh && healthyEnough) {
                String kernel = obs.kernel().present() ? obs.kernel().value().release() : "unknown";
                baseline = baseline == null
                        ? LookupBaseline.first(c.relativeCost(), c.nsPerLookup(), c.measuredAt(), kernel)
                        : baseline.with(c.relativeCost(), c.nsPerLookup(), c.measuredAt(), config.baselineWindow());
                learnedAt = c.measuredAt();
            } else if (fresh && chain > config.baselineMaxChainLength() && (baseline == null || !ready)) {
                notes.add(String.format(Locale.ROOT, "lookup baseline not learned: hash chains too long (%.2f > %s)",
                        chain, fmt(config.baselineMaxChainLength())));
            }
            if (!ready && chain <= config.baselineMaxChainLength()) {
                int have = baseline == null ? 0 : baseline.samples();
                notes.add("lookup baseline not ready (" + have + " of " + config.baselineMinSamples() + " healthy canary runs)");
            }
        } else {
            notes.add("no canary figure: " + obs.canary().problem());
        }

        Verdict candidate = Verdict.worst(Verdict.worst(chainLevel, growthLevel), canaryLevel);
        Hysteresis h = state.hysteresis().next(candidate, config.raiseAfter(), config.clearAfter());
        Verdict verdict = h.level();
        if (verdict != candidate) {
            if (candidate.worseThan(verdict)) {
                reasons.add("this sample points to " + candidate.displayName() + "; raised after " + config.raiseAfter()
                        + " consecutive samples");
            } else {
                reasons.add("this sample points to " + candidate.displayName() + "; " + verdict.displayName() + " holds until "
                        + config.clearAfter() + " consecutive samples are below it");
            }
        }
        if (verdict == Verdict.HEALTHY && candidate == Verdict.HEALTHY) {
            reasons.add("all indicators below thresholds");
        }
        reasons.addAll(notes);

        DetectorState next = new DetectorState(h,
                d.negative() != null ? obs.time() : state.previousNegativeAt(),
                d.negative() != null ? d.negative() : state.previousNegative(),
                baseline, learnedAt);
        return new Detection(new Assessment(verdict, candidate, reasons, chain, share, growth, ratio, baseline), next);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%s", v);
    }
}
