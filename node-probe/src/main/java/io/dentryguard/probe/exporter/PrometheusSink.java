package io.dentryguard.probe.exporter;

import io.dentryguard.api.metrics.ProcessMetrics;
import io.dentryguard.api.v1alpha1.Verdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * Exposes the latest report as Prometheus metrics, beside the JVM and process metrics of the probe
 * itself ({@link ProcessMetrics}). Gauges read the latest report (NaN where a
 * figure is unknown); the canary's per-lookup latencies go into a histogram with fixed buckets from
 * 100 ns to 50 us, so that a dashboard can draw them as a heatmap over time.
 */
public final class PrometheusSink implements ReportSink {
    private static final Duration[] LOOKUP_BUCKETS = {
        Duration.ofNanos(100), Duration.ofNanos(150), Duration.ofNanos(200), Duration.ofNanos(300),
        Duration.ofNanos(400), Duration.ofNanos(500), Duration.ofNanos(700), Duration.ofNanos(1_000),
        Duration.ofNanos(1_500), Duration.ofNanos(2_000), Duration.ofNanos(3_000), Duration.ofNanos(5_000),
        Duration.ofNanos(7_000), Duration.ofNanos(10_000), Duration.ofNanos(20_000), Duration.ofNanos(50_000),
    };

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<ProbeReport> latest = new AtomicReference<>();
    private final Timer lookupLatency;
    private final Counter samples;
    private final MultiGauge offenderMemory;
    private final MultiGauge offenderShare;
    private final MultiGauge offenderGrowth;
    private final int topOffenders;
    private Instant lastCanaryRecorded;

    public PrometheusSink() {
        this(5);
    }

    /** @param topOffenders offenders exported per sample: bounds the label cardinality */
    public PrometheusSink(int topOffenders) {
        this.topOffenders = topOffenders;
        new ProcessMetrics().bindTo(registry);
        gauge("dentryguard.dentries", "Dentries allocated (nr_dentry)", "state", "total", r -> num(r.dentries().total()));
        gauge("dentryguard.dentries", "Unused dentries on the LRU (nr_unused)", "state", "unused", r -> num(r.dentries().unused()));
        gauge("dentryguard.dentries", "Negative dentries (nr_negative, kernel 5.0+)", "state", "negative", r -> num(r.dentries().negative()));
        gauge("dentryguard.dentry.negative.share.ratio", "Negative dentries as a fraction of all dentries", r -> num(r.dentries().negativeShare()));
        gauge("dentryguard.dentry.negative.growth.per.second", "Change of negative dentries per second since the previous sample",
                r -> num(r.dentries().negativeGrowthPerSecond()));
        gauge("dentryguard.dentry.slab.objects", "Allocated dentry slab objects (/proc/slabinfo)", r -> num(r.slab().dentryObjects()));
        gauge("dentryguard.dentry.slab.bytes", "Bytes held by dentry slab objects (/proc/slabinfo)", r -> num(r.slab().dentryBytes()));
        gauge("dentryguard.dentry.hash.buckets", "Buckets in the dentry hash table", r -> num(r.hashBuckets()));
        gauge("dentryguard.dentry.hash.chain.length", "Average dentries per hash bucket (nr_dentry / buckets)", r -> num(r.chainLength()));
        gauge("dentryguard.canary.lookup.median.seconds", "Median canary time per path-component lookup", r -> nanos(r.lookup().nsPerLookup()));
        gauge("dentryguard.canary.lookup.baseline.seconds", "Baseline canary time per lookup, learned on a healthy node",
                r -> nanos(r.lookup().baselineNsPerLookup()));
        gauge("dentryguard.canary.lookup.ratio", "Canary lookup cost relative to its baseline (CPU-contention corrected)",
                r -> num(r.lookup().ratio()));
        gauge("dentryguard.canary.baseline.age.seconds", "Time since the lookup baseline was last updated",
                r -> num(r.lookup().baselineAgeSeconds()));
        gauge("dentryguard.memory.free.bytes", "MemFree from /proc/meminfo", r -> num(r.memory().freeBytes()));
        gauge("dentryguard.memory.available.bytes", "MemAvailable from /proc/meminfo (does not drop in a flood)",
                r -> num(r.memory().availableBytes()));
        gauge("dentryguard.memory.slab.reclaimable.bytes", "SReclaimable from /proc/meminfo", r -> num(r.memory().slabReclaimableBytes()));
        gauge("dentryguard.inodes", "Inodes allocated (/proc/sys/fs/inode-nr)", "state", "allocated", r -> num(r.inodes().allocated()));
        gauge("dentryguard.inodes", "Free inodes (/proc/sys/fs/inode-nr)", "state", "free", r -> num(r.inodes().free()));
        for (Verdict v : Verdict.values()) {
            gauge("dentryguard.verdict", "1 for the node's current verdict, 0 for the others", "verdict", v.displayName(),
                    r -> v == r.verdict() ? 1 : 0);
        }
        lookupLatency = Timer.builder("dentryguard.canary.lookup")
                .description("Canary time per path-component lookup, one observation per chunk of 20 paths")
                .serviceLevelObjectives(LOOKUP_BUCKETS)
                .minimumExpectedValue(LOOKUP_BUCKETS[0])
                .maximumExpectedValue(LOOKUP_BUCKETS[LOOKUP_BUCKETS.length - 1])
                .register(registry);
        samples = Counter.builder("dentryguard.samples").description("Samples taken").register(registry);
        offenderMemory = MultiGauge.builder("dentryguard.offender.kernel.memory.bytes")
                .description("Kernel memory of the top suspected offenders (cgroup v1 kmem usage, v2 slab_reclaimable)")
                .register(registry);
        offenderShare = MultiGauge.builder("dentryguard.offender.share.ratio")
                .description("Share of the node's negative-dentry memory a suspected offender explains")
                .register(registry);
        offenderGrowth = MultiGauge.builder("dentryguard.offender.growth.bytes.per.second")
                .description("Kernel memory growth of a suspected offender over the recent window")
                .register(registry);
    }

    private void publishOffenders(ProbeReport report) {
        List<MultiGauge.Row<?>> memory = new ArrayList<>();
        List<MultiGauge.Row<?>> share = new ArrayList<>();
        List<MultiGauge.Row<?>> growth = new ArrayList<>();
        for (ProbeReport.OffenderEntry o : report.offenders().subList(0, Math.min(topOffenders, report.offenders().size()))) {
            Tags tags = Tags.of("kind", o.kind(), "pod_uid", o.podUid() == null ? "" : o.podUid(),
                    "cgroup", o.cgroup(), "confidence", o.confidence().displayName());
            memory.add(MultiGauge.Row.of(tags, o.kernelMemoryBytes()));
            share.add(MultiGauge.Row.of(tags, o.share()));
            growth.add(MultiGauge.Row.of(tags, o.growthBytesPerSecond() == null ? Double.NaN : o.growthBytesPerSecond()));
        }
        // overwrite: rows of pods no longer among the top K disappear, keeping cardinality at K
        offenderMemory.register(memory, true);
        offenderShare.register(share, true);
        offenderGrowth.register(growth, true);
    }

    private void gauge(String name, String help, ToDoubleFunction<ProbeReport> f) {
        Gauge.builder(name, latest, ref -> ref.get() == null ? Double.NaN : f.applyAsDouble(ref.get()))
                .description(help).register(registry);
    }

    private void gauge(String name, String help, String tag, String value, ToDoubleFunction<ProbeReport> f) {
        Gauge.builder(name, latest, ref -> ref.get() == null ? Double.NaN : f.applyAsDouble(ref.get()))
                .description(help).tag(tag, value).register(registry);
    }

    private static double num(Number n) {
        return n == null ? Double.NaN : n.doubleValue();
    }

    private static double nanos(Double ns) {
        return ns == null ? Double.NaN : ns / 1e9;
    }

    @Override
    public void publish(ProbeReport report) {
        latest.set(report);
        samples.increment();
        publishOffenders(report);
        ProbeReport.Lookup lookup = report.lookup();
        if (lookup.measuredAt() != null) {
            // The report repeats the latest canary run until the next one: record each run once.
            Instant measuredAt = Instant.parse(lookup.measuredAt());
            if (lastCanaryRecorded == null || measuredAt.isAfter(lastCanaryRecorded)) {
                for (double ns : lookup.chunkNsPerLookup()) {
                    lookupLatency.record(Math.round(ns), TimeUnit.NANOSECONDS);
                }
                lastCanaryRecorded = measuredAt;
            }
        }
    }

    public String scrape() {
        return registry.scrape();
    }
}
