package io.dentryguard.probe.exporter.nodehealth;

import io.dentryguard.probe.actuator.reclaim.ReclaimCapabilities;

import io.dentryguard.api.v1alpha1.BaselineStatus;
import io.dentryguard.api.patch.StatusFieldsPatch;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.dentryguard.api.v1alpha1.Rfc3339;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.probe.exporter.ProbeReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the probe's reports to its node's NodeHealth status when the {@link ReportGate} says so,
 * one call at a time (the caller serialises). An API server that is unreachable or refuses is
 * retried with exponential backoff; meanwhile reports are skipped, never queued, and the probe goes
 * on measuring. Nothing here throws.
 */
public final class NodeHealthReporter {
    private static final Logger LOG = LoggerFactory.getLogger(NodeHealthReporter.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    private static final Duration POD_LOOKUP_EVERY = Duration.ofMinutes(1);

    public enum Outcome { WRITTEN, SKIPPED, BACKING_OFF, FAILED }

    private final NodeHealthClient api;
    private final ReportGate gate;
    private final Duration heartbeat;
    private final DoubleSupplier random;
    private final String probeVersion;
    private final Supplier<Optional<BaselineStatus>> baseline;
    private final ReclaimCapabilities reclaim;

    private Optional<ReportGate.Written> last = Optional.empty();
    private Instant heartbeatDue = Instant.MIN;
    private boolean ready;
    private boolean statusExists;
    private int failures;
    private Instant retryAt = Instant.MIN;
    private Verdict verdict;
    private String verdictSince;
    private boolean firstWrite = true;
    private Map<String, String> podNames = Map.of();
    private Instant podsLookedUpAt = Instant.MIN;

    /** @param baseline the lookup baseline each write carries, so that a restarted probe can resume it */
    public NodeHealthReporter(NodeHealthClient api, ReportGate gate, Duration heartbeat, DoubleSupplier random, String probeVersion,
                              Supplier<Optional<BaselineStatus>> baseline) {
        this(api, gate, heartbeat, random, probeVersion, baseline, null);
    }

    /** @param reclaim what this probe can reclaim, written with every report; null: the fields are not written */
    public NodeHealthReporter(NodeHealthClient api, ReportGate gate, Duration heartbeat, DoubleSupplier random, String probeVersion,
                              Supplier<Optional<BaselineStatus>> baseline, ReclaimCapabilities reclaim) {
        this.reclaim = reclaim;
        this.api = api;
        this.gate = gate;
        this.heartbeat = heartbeat;
        this.random = random;
        this.probeVersion = probeVersion;
        this.baseline = baseline;
    }

    public Outcome offer(ProbeReport report, Instant now) {
        // Followed in every report offered, written or not, so that the change's own sample dates it.
        if (report.verdict() != verdict) {
            verdict = report.verdict();
            verdictSince = report.timestamp();
        }
        if (now.isBefore(retryAt)) {
            return Outcome.BACKING_OFF;
        }
        Optional<String> why = gate.reason(last, report, now, heartbeatDue);
        if (why.isEmpty()) {
            return Outcome.SKIPPED;
        }
        try {
            if (!ready) {
                NodeHealth nh = api.ensureExists();
                NodeHealthStatus stored = nh.getStatus();
                // A status that is not an object (an edited object) is replaced whole.
                statusExists = StatusFieldsPatch.exists(nh);
                if (firstWrite && stored != null) {
                    warnIfUnreadable(stored);
                    resumeVerdictSince(stored);
                }
                ready = true;
            }
            lookUpPodsIfNeeded(report, now);
            Map<String, Object> fields = StatusFields.of(report, verdictSince, baseline.get(), podNames, probeVersion);
            if (reclaim != null) {
                StatusFields.addReclaimCapabilities(fields, reclaim);
            }
            api.writeStatus(fields, statusExists);
            firstWrite = false;
            statusExists = true;
            if (failures > 0) {
                LOG.info("NodeHealth {}: writing again after {} failed attempts", api.node(), failures);
            }
            failures = 0;
            last = Optional.of(ReportGate.Written.of(report));
            heartbeatDue = ReportGate.nextHeartbeat(now, heartbeat, random.getAsDouble());
            LOG.debug("NodeHealth {}: wrote ({})", api.node(), why.get());
            return Outcome.WRITTEN;
        } catch (RuntimeException e) {
            failures++;
            // Read the object again before the next write: it may have been deleted, or its status reset.
            ready = false;
            Duration backoff = backoff(failures, random.getAsDouble());
            retryAt = now.plus(backoff);
            LOG.warn("NodeHealth {}: cannot write ({}); still measuring, retrying in {} s (attempt {})", api.node(), oneLine(e),
                    backoff.toSeconds(), failures);
            return Outcome.FAILED;
        }
    }

    private void warnIfUnreadable(NodeHealthStatus stored) {
        if (!stored.unreadableFields().isEmpty()) {
            LOG.warn("NodeHealth {}: status fields this probe cannot read ({}); its next report replaces them", api.node(),
                    String.join("; ", stored.unreadableFields()));
        }
    }

    /**
     * A restarted probe that finds the verdict it last wrote unchanged keeps that verdict's start: the
     * operator counts its hold-down from it, and a probe restart is no new verdict.
     */
    private void resumeVerdictSince(NodeHealthStatus stored) {
        Instant before = Rfc3339.parse(stored.getVerdictSince());
        if (stored.getVerdict() == verdict && before != null
                && before.isBefore(Instant.parse(verdictSince))) {
            verdictSince = before.toString();
        }
    }

    private void lookUpPodsIfNeeded(ProbeReport report, Instant now) {
        boolean unknown = report.offenders().stream().anyMatch(o -> o.podUid() != null && !podNames.containsKey(o.podUid()));
        if (!unknown || Duration.between(podsLookedUpAt, now).compareTo(POD_LOOKUP_EVERY) < 0) {
            return;
        }
        podsLookedUpAt = now;
        try {
            podNames = api.podsOnNode();
        } catch (RuntimeException e) {
            // Offenders are still named by pod UID; the names are a convenience.
            LOG.warn("NodeHealth {}: cannot list the pods on this node to name offenders ({})", api.node(), oneLine(e));
        }
    }

    /** 1 s, 2 s, 4 s ... up to 5 min, each stretched by up to 20% at random so that probes do not retry in step. */
    static Duration backoff(int failures, double random) {
        Duration d = FIRST_BACKOFF.multipliedBy(1L << Math.min(failures - 1, 20));
        if (d.compareTo(MAX_BACKOFF) > 0) {
            d = MAX_BACKOFF;
        }
        return d.plus(d.multipliedBy(Math.round(random * 200)).dividedBy(1000));
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
