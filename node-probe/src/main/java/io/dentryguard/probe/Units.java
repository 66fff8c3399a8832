package io.dentryguard.probe;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Locale;

/** Small numeric helpers shared by the sensors, the detector and the exporters. */
public final class Units {
    private Units() {}

    /** The median; the mean of the middle two for an even count. */
    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * A figure for people, rounded half up to {@code decimals} places (as its decimal text reads, so
     * 2.675 gives 2.68); null and non-finite values pass through.
     */
    public static Double round(Double value, int decimals) {
        if (value == null || !Double.isFinite(value)) {
            return value;
        }
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }

    /** Bytes for people: GiB from 1 GiB up, MiB below. */
    public static String bytes(long n) {
        if (Math.abs(n) >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", n / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
    }
}
