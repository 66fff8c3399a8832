package io.dentryguard.probe.detector;

import io.dentryguard.probe.monitor.CanaryMeasurement;
import io.dentryguard.probe.monitor.DentryState;
import io.dentryguard.probe.monitor.HashBuckets;
import io.dentryguard.probe.monitor.KernelRelease;
import io.dentryguard.probe.monitor.NodeObservation;
import io.dentryguard.probe.monitor.Reading;
import java.time.Instant;

/** Observations for detector tests: a 4,194,304-bucket node, one sample every 5 seconds. */
final class Samples {
    static final long BUCKETS = 4_194_304;
    static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");
    static final KernelRelease KERNEL = new KernelRelease("6.18.44", 6, 18);

    private Samples() {}

    static Instant at(int sample) {
        return T0.plusSeconds(5L * sample);
    }

    /** A sample with {@code chain} average chain length, all of it negative beyond 10k positives. */
    static NodeObservation chain(int sample, double chain) {
        long total = Math.round(chain * BUCKETS);
        return dentries(sample, total, Math.max(0, total - 10_000), null);
    }

    static NodeObservation dentries(int sample, long total, Long negative, CanaryMeasurement canary) {
        return new NodeObservation(at(sample), "node-a", Reading.of(KERNEL),
                Reading.of(new DentryState(total, total / 2, 45, 0, negative)),
                Reading.missing("/proc/slabinfo: permission denied (needs root)"),
                Reading.missing("not needed"), Reading.missing("not needed"),
                Reading.of(new HashBuckets(BUCKETS, HashBuckets.Source.KERNEL_LOG, "test")),
                canary == null ? Reading.missing("canary disabled") : Reading.of(canary), Reading.missing("offenders not named"));
    }

    static NodeObservation withCanary(int sample, double chain, double relativeCost) {
        long total = Math.round(chain * BUCKETS);
        return dentries(sample, total, total / 2, canary(sample, relativeCost));
    }

    static CanaryMeasurement canary(int sample, double relativeCost) {
        return new CanaryMeasurement(at(sample), 700 * relativeCost / 4, relativeCost, 2000, 7, 2, 10_000_000,
                new double[] {700});
    }

    static NodeObservation unreadable(int sample) {
        return new NodeObservation(at(sample), "node-a", Reading.of(KERNEL),
                Reading.missing("/proc/sys/fs/dentry-state: expected 6 fields, found 3"),
                Reading.missing("x"), Reading.missing("x"), Reading.missing("x"),
                Reading.of(new HashBuckets(BUCKETS, HashBuckets.Source.KERNEL_LOG, "test")), Reading.missing("canary disabled"),
                Reading.missing("offenders not named"));
    }
}
