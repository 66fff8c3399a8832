package io.dentryguard.probe.exporter.nodehealth;

import io.dentryguard.api.v1alpha1.OffenderStatus.Confidence;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.probe.exporter.ProbeReport;
import java.time.Instant;
import java.util.List;

/** Reports as the probe produces them, with the few figures the NodeHealth tests vary. */
final class Reports {
    private Reports() {}

    static ProbeReport report(Instant at, Verdict verdict, long negative, double chain, Double ratio,
                              ProbeReport.OffenderEntry... offenders) {
        return new ProbeReport("node-a", at.toString(), "6.18.44",
                new ProbeReport.Dentries(negative + 1_000_000, negative, negative, 0.9, 0.0),
                new ProbeReport.Slab(negative + 1_000_000, negative + 1_000_000, 192L, (negative + 1_000_000) * 192),
                new ProbeReport.Memory(25L << 30, 10L << 30, 23L << 30, 4L << 30),
                new ProbeReport.Inodes(12_000L, 10L),
                4_194_304L, "kernelLog", chain,
                new ProbeReport.Lookup(900.0, 800.0, ratio, 9.0, 8.0, 12, 30L, at.toString(), 2000, 7, new double[] {900}),
                verdict, List.of("average hash chain " + chain), List.of(offenders), List.of());
    }

    static ProbeReport.OffenderEntry offender(String podUid, Confidence confidence) {
        return new ProbeReport.OffenderEntry("/kubepods/burstable/pod" + podUid, "pod", podUid, null, 500_000_000L, 4.0e6, 0.9,
                confidence, "kernel memory grew while the node gained negative dentries");
    }
}
