package io.dentryguard.probe.exporter;

import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.probe.numbers.HumanReadable;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The human view of {@code probe}: one row per sample, the header again every screenful, and the
 * reasons whenever the verdict changes.
 */
public final class LiveTableSink implements ReportSink {
    private static final String ROW = "%-8s  %-8s  %12s  %12s  %10s  %10s  %7s  %9s  %7s  %s%n";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final int HEADER_EVERY = 20;

    private final PrintStream out;
    private int rows;
    private Verdict lastVerdict;

    public LiveTableSink(PrintStream out) {
        this.out = out;
    }

    @Override
    public void publish(ProbeReport r) {
        if (rows % HEADER_EVERY == 0) {
            out.printf(Locale.ROOT, ROW, "TIME", "VERDICT", "DENTRIES", "NEGATIVE", "NEG/S", "SLAB", "CHAIN",
                    "NS/LOOKUP", "X BASE", "TOP OFFENDER");
        }
        rows++;
        out.printf(Locale.ROOT, ROW,
                TIME.format(Instant.parse(r.timestamp())),
                r.verdict().displayName(),
                count(r.dentries().total()),
                count(r.dentries().negative()),
                r.dentries().negativeGrowthPerSecond() == null ? "-" : count(Math.round(r.dentries().negativeGrowthPerSecond())),
                bytes(r.slab().dentryBytes()),
                r.chainLength() == null ? "-" : String.format(Locale.ROOT, r.chainLength() < 1 ? "%.3f" : "%.2f", r.chainLength()),
                r.lookup().nsPerLookup() == null ? "-" : String.format(Locale.ROOT, "%.0f", r.lookup().nsPerLookup()),
                r.lookup().ratio() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.lookup().ratio()),
                r.offenders().isEmpty() ? "-" : topOffender(r.offenders().get(0)));
        if (r.verdict() != lastVerdict) {
            List<String> reasons = r.reasons();
            out.println("  " + r.verdict().displayName() + ": " + String.join("; ", reasons));
            lastVerdict = r.verdict();
        }
        out.flush();
    }

    static String topOffender(ProbeReport.OffenderEntry o) {
        String who = o.podUid() != null ? "pod " + o.podUid() : o.cgroup();
        return String.format(Locale.ROOT, "%s %s %.0f%% %s", who, o.confidence().displayName(), o.share() * 100, bytes(o.kernelMemoryBytes()));
    }

    static String count(Long n) {
        return n == null ? "-" : String.format(Locale.ROOT, "%,d", n);
    }

    static String bytes(Long n) {
        return n == null ? "-" : HumanReadable.bytes(n);
    }
}
