package io.dentryguard.probe.numbers;

import java.util.Arrays;

/** The figure the canary and its baseline report: robust to the few runs a preemption spoils. */
public final class Median {
    private Median() {}

    /** The median; the mean of the middle two for an even count. */
    public static double of(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
