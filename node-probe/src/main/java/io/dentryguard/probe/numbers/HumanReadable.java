package io.dentryguard.probe.numbers;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** Figures written for people (reasons, the table, kubectl get nh); the JSON and the metrics keep full precision. */
public final class HumanReadable {
    private HumanReadable() {}

    /**
     * Rounded half up to {@code decimals} places (as its decimal text reads, so 2.675 gives 2.68); null
     * and non-finite values pass through.
     */
    public static Double round(Double value, int decimals) {
        if (value == null || !Double.isFinite(value)) {
            return value;
        }
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }

    /** GiB from 1 GiB up, MiB below. */
    public static String bytes(long n) {
        if (Math.abs(n) >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", n / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
    }
}
