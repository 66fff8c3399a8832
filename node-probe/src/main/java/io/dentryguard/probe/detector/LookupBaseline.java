package io.dentryguard.probe.detector;

import io.dentryguard.probe.numbers.Median;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a lookup costs on this node when its dentry cache is healthy: the median of recent canary
 * runs taken while hash chains were short. Kept across restarts (state file, NodeHealth status).
 *
 * @param relativeCosts  the canary's lstat/control figures in the window, oldest first
 * @param nsPerLookups   the matching raw nanoseconds per lookup
 * @param kernel         the kernel release it was learned on: another kernel means another baseline
 */
public record LookupBaseline(List<Double> relativeCosts, List<Double> nsPerLookups, Instant firstLearnedAt,
                             Instant updatedAt, String kernel) {

    public LookupBaseline {
        relativeCosts = List.copyOf(relativeCosts);
        nsPerLookups = List.copyOf(nsPerLookups);
        if (relativeCosts.size() != nsPerLookups.size() || relativeCosts.isEmpty()) {
            throw new IllegalArgumentException("a baseline needs matching, non-empty sample lists");
        }
        for (int i = 0; i < relativeCosts.size(); i++) {
            if (!(relativeCosts.get(i) > 0) || !(nsPerLookups.get(i) > 0)
                    || relativeCosts.get(i).isInfinite() || nsPerLookups.get(i).isInfinite()) {
                throw new IllegalArgumentException("baseline samples must be positive and finite");
            }
        }
    }

    public static LookupBaseline first(double relativeCost, double nsPerLookup, Instant at, String kernel) {
        return new LookupBaseline(List.of(relativeCost), List.of(nsPerLookup), at, at, kernel);
    }

    /** This baseline with one more healthy sample, dropping the oldest beyond {@code window}. */
    public LookupBaseline with(double relativeCost, double nsPerLookup, Instant at, int window) {
        List<Double> costs = new ArrayList<>(relativeCosts);
        List<Double> ns = new ArrayList<>(nsPerLookups);
        costs.add(relativeCost);
        ns.add(nsPerLookup);
        while (costs.size() > window) {
            costs.remove(0);
            ns.remove(0);
        }
        return new LookupBaseline(costs, ns, firstLearnedAt, at, kernel);
    }

    public int samples() {
        return relativeCosts.size();
    }

    public double relativeCost() {
        return median(relativeCosts);
    }

    public double nsPerLookup() {
        return median(nsPerLookups);
    }

    public Duration age(Instant now) {
        return Duration.between(updatedAt, now).isNegative() ? Duration.ZERO : Duration.between(updatedAt, now);
    }

    private static double median(List<Double> values) {
        return Median.of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
