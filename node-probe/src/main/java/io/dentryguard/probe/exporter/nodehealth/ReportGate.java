package io.dentryguard.probe.exporter.nodehealth;

import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.probe.exporter.ProbeReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Whether a report is worth writing to the NodeHealth status: a change of verdict or of the
 * offenders named, a significant move of a figure, or the heartbeat. In a steady state that is one
 * write per node per heartbeat, whatever the sampling rate. Pure: the caller keeps what was last
 * written and when the next heartbeat is due.
 *
 * @param relativeMove a figure has moved significantly when it changed by this fraction of its last written value ...
 * @param minChainMove ... and the chain length by at least this much ...
 * @param minNegativeMove ... and the negative dentries by at least this many ...
 * @param minRatioMove ... and the lookup ratio by at least this much
 */
public record ReportGate(double relativeMove, double minChainMove, long minNegativeMove, double minRatioMove) {

    public static ReportGate defaults() {
        return new ReportGate(0.2, 0.1, 100_000, 0.25);
    }

    /** What was last written, reduced to what the gate compares. */
    public record Written(Verdict verdict, List<String> offenders, Double chainLength, Long negativeDentries, Double lookupRatio) {
        public static Written of(ProbeReport r) {
            return new Written(r.verdict(), offenderKeys(r), r.chainLength(), r.dentries().negative(), r.lookup().ratio());
        }

        private static List<String> offenderKeys(ProbeReport r) {
            return r.offenders().stream().map(o -> (o.podUid() != null ? o.podUid() : o.cgroup()) + "/" + o.confidence().displayName()).toList();
        }
    }

    /** Why {@code report} must be written now, or empty if it may wait. */
    public Optional<String> reason(Optional<Written> last, ProbeReport report, Instant now, Instant heartbeatDue) {
        if (last.isEmpty()) {
            return Optional.of("first report");
        }
        Written was = last.get();
        Written is = Written.of(report);
        if (was.verdict() != is.verdict()) {
            return Optional.of("verdict " + was.verdict().displayName() + " -> " + is.verdict().displayName());
        }
        if (!was.offenders().equals(is.offenders())) {
            return Optional.of("offenders changed");
        }
        if (moved(was.chainLength(), is.chainLength(), minChainMove)) {
            return Optional.of("chain length moved");
        }
        if (moved(toDouble(was.negativeDentries()), toDouble(is.negativeDentries()), minNegativeMove)) {
            return Optional.of("negative dentries moved");
        }
        if (moved(was.lookupRatio(), is.lookupRatio(), minRatioMove)) {
            return Optional.of("lookup ratio moved");
        }
        if (!now.isBefore(heartbeatDue)) {
            return Optional.of("heartbeat");
        }
        return Optional.empty();
    }

    private boolean moved(Double was, Double is, double minAbsolute) {
        if (was == null || is == null) {
            return was != is;
        }
        double change = Math.abs(is - was);
        return change >= minAbsolute && change >= relativeMove * Math.abs(was);
    }

    private static Double toDouble(Long v) {
        return v == null ? null : v.doubleValue();
    }

    /** The next heartbeat: {@code every} shortened by up to 10% at random, so nodes spread their writes out and never reach the operator's stale time. */
    public static Instant nextHeartbeat(Instant writtenAt, Duration every, double random) {
        return writtenAt.plus(every.minus(every.multipliedBy(Math.round(random * 1000)).dividedBy(10_000)));
    }
}
