package io.dentryguard.probe.exporter;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.dentryguard.api.v1alpha1.OffenderStatus.Confidence;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.probe.detector.Assessment;
import io.dentryguard.probe.detector.LookupBaseline;
import io.dentryguard.probe.detector.offender.Offender;
import io.dentryguard.probe.monitor.CanaryMeasurement;
import io.dentryguard.probe.monitor.DentrySlab;
import io.dentryguard.probe.monitor.DentryState;
import io.dentryguard.probe.monitor.HashBuckets;
import io.dentryguard.probe.monitor.InodeCounts;
import io.dentryguard.probe.monitor.MemInfo;
import io.dentryguard.probe.monitor.NodeObservation;
import io.dentryguard.probe.monitor.Reading;
import java.util.ArrayList;
import java.util.List;

/**
 * One sample as the outside world sees it: the JSON document of {@code probe --json}, the row of
 * the live table and the source of the metrics. Field names are a contract (docs/probe.md); add
 * fields, never rename them. Unknown figures are null, never 0.
 */
@JsonPropertyOrder({"node", "timestamp", "kernel", "dentries", "slab", "memory", "inodes", "hashBuckets",
        "hashBucketsSource", "chainLength", "lookup", "verdict", "reasons", "offenders", "problems"})
public record ProbeReport(
        String node,
        String timestamp,
        String kernel,
        Dentries dentries,
        Slab slab,
        Memory memory,
        Inodes inodes,
        Long hashBuckets,
        String hashBucketsSource,
        Double chainLength,
        Lookup lookup,
        Verdict verdict,
        List<String> reasons,
        List<OffenderEntry> offenders,
        List<String> problems) {

    @JsonPropertyOrder({"total", "unused", "negative", "negativeShare", "negativeGrowthPerSecond"})
    public record Dentries(Long total, Long unused, Long negative, Double negativeShare, Double negativeGrowthPerSecond) {}

    @JsonPropertyOrder({"dentryObjects", "dentryActiveObjects", "dentryObjectSizeBytes", "dentryBytes"})
    public record Slab(Long dentryObjects, Long dentryActiveObjects, Long dentryObjectSizeBytes, Long dentryBytes) {}

    @JsonPropertyOrder({"totalBytes", "freeBytes", "availableBytes", "slabReclaimableBytes"})
    public record Memory(Long totalBytes, Long freeBytes, Long availableBytes, Long slabReclaimableBytes) {}

    @JsonPropertyOrder({"allocated", "free"})
    public record Inodes(Long allocated, Long free) {}

    @JsonPropertyOrder({"nsPerLookup", "baselineNsPerLookup", "ratio", "relativeCost", "baselineRelativeCost",
            "baselineSamples", "baselineAgeSeconds", "measuredAt", "paths", "lookupsPerPath"})
    /** @param chunkNsPerLookup the canary run's time per lookup by chunk, for the metrics' histogram; not in the JSON */
    public record Lookup(Double nsPerLookup, Double baselineNsPerLookup, Double ratio, Double relativeCost,
                         Double baselineRelativeCost, Integer baselineSamples, Long baselineAgeSeconds,
                         String measuredAt, Integer paths, Integer lookupsPerPath, @JsonIgnore double[] chunkNsPerLookup) {}

    /** One suspected offender; see docs/probe.md, Offenders. */
    @JsonPropertyOrder({"cgroup", "kind", "podUid", "containerId", "kernelMemoryBytes", "growthBytesPerSecond", "share",
            "confidence", "reason"})
    public record OffenderEntry(String cgroup, String kind, String podUid, String containerId, long kernelMemoryBytes,
                                Double growthBytesPerSecond, double share, Confidence confidence, String reason) {
        static OffenderEntry of(Offender o) {
            return new OffenderEntry(o.cgroup(), o.kind(), o.podUid(), o.containerId(), o.kernelMemoryBytes(),
                    o.growthBytesPerSecond(), o.share(), o.confidence(), o.reason());
        }
    }

    public static ProbeReport of(NodeObservation o, Assessment a) {
        return of(o, a, List.of());
    }

    public static ProbeReport of(NodeObservation o, Assessment a, List<Offender> offenders) {
        DentryState d = o.dentries().value();
        DentrySlab s = o.slab().value();
        MemInfo m = o.memory().value();
        InodeCounts i = o.inodes().value();
        HashBuckets h = o.hashBuckets().value();
        CanaryMeasurement c = o.canary().value();
        LookupBaseline b = a.baseline();
        List<String> problems = new ArrayList<>();
        for (Reading<?> r : List.of(o.kernel(), o.dentries(), o.slab(), o.memory(), o.inodes(), o.hashBuckets(), o.canary(),
                o.cgroups())) {
            if (!r.present()) {
                problems.add(r.problem());
            }
        }
        if (o.cgroups().present()) {
            problems.addAll(o.cgroups().value().problems());
        }
        return new ProbeReport(
                o.node(),
                o.time().toString(),
                o.kernel().present() ? o.kernel().value().release() : null,
                new Dentries(d == null ? null : d.total(), d == null ? null : d.unused(), d == null ? null : d.negative(),
                        a.negativeShare(), a.negativeGrowthPerSecond()),
                new Slab(s == null ? null : s.objects(), s == null ? null : s.activeObjects(),
                        s == null ? null : s.objectSizeBytes(), s == null ? null : s.bytes()),
                new Memory(m == null ? null : m.totalBytes(), m == null ? null : m.freeBytes(),
                        m == null ? null : m.availableBytes(), m == null ? null : m.slabReclaimableBytes()),
                new Inodes(i == null ? null : i.allocated(), i == null ? null : i.free()),
                h == null ? null : h.buckets(),
                h == null ? null : h.source().jsonName(),
                a.chainLength(),
                new Lookup(c == null ? null : c.nsPerLookup(), b == null ? null : b.nsPerLookup(), a.lookupRatio(),
                        c == null ? null : c.relativeCost(), b == null ? null : b.relativeCost(),
                        b == null ? null : b.samples(), b == null ? null : b.age(o.time()).toSeconds(),
                        c == null ? null : c.measuredAt().toString(), c == null ? null : c.paths(),
                        c == null ? null : c.lookupsPerPath(), c == null ? new double[0] : c.chunkNsPerLookup()),
                a.verdict(),
                a.reasons(),
                offenders.stream().map(OffenderEntry::of).toList(),
                problems);
    }
}
