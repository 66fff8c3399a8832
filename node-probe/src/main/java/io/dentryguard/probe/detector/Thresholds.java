package io.dentryguard.probe.detector;

import io.dentryguard.api.v1alpha1.Verdict;

/** Three rising thresholds of one indicator: the level is the highest threshold reached. */
public record Thresholds(double warning, double degraded, double critical) {
    public Thresholds {
        if (!(warning > 0 && warning <= degraded && degraded <= critical) || Double.isInfinite(critical)) {
            throw new IllegalArgumentException("thresholds must be positive, finite and rising: warning " + warning
                    + " <= degraded " + degraded + " <= critical " + critical);
        }
    }

    public Verdict levelOf(double value) {
        if (value >= critical) {
            return Verdict.CRITICAL;
        }
        if (value >= degraded) {
            return Verdict.DEGRADED;
        }
        if (value >= warning) {
            return Verdict.WARNING;
        }
        return Verdict.HEALTHY;
    }

    public double thresholdFor(Verdict level) {
        return switch (level) {
            case WARNING -> warning;
            case DEGRADED -> degraded;
            case CRITICAL -> critical;
            default -> throw new IllegalArgumentException("no threshold for " + level);
        };
    }
}
