package io.dentryguard.probe.monitor;

import io.dentryguard.probe.monitor.cgroup.CgroupSampler;
import io.dentryguard.probe.monitor.cgroup.CgroupSnapshot;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every sensor once per sample and the canary every {@code canaryEvery} samples. A sensor
 * that fails yields a {@link Reading} with the reason; the sampler itself never throws.
 */
public final class NodeSampler {
    private static final Logger LOG = LoggerFactory.getLogger(NodeSampler.class);

    private final ProcFiles proc;
    private final String node;
    private final Reading<KernelRelease> kernel;
    private final Reading<HashBuckets> hashBuckets;
    private final Optional<LookupCanary> canary;
    private final int canaryEvery;
    private final int canaryPasses;
    private final Clock clock;
    private final Optional<CgroupSampler> cgroups;
    private final String cgroupsMissing;
    private long samples;
    private Reading<CanaryMeasurement> lastCanary = Reading.missing("canary has not run yet");
    private String lastProblems = "";

    public NodeSampler(ProcFiles proc, String node, KernelRelease kernel, Reading<HashBuckets> hashBuckets,
                       Optional<LookupCanary> canary, int canaryEvery, int canaryPasses, Clock clock) {
        this(proc, node, kernel, hashBuckets, canary, canaryEvery, canaryPasses, clock, Optional.empty(), "attribution disabled");
    }

    /**
     * @param kernel         the running kernel, read once at start: it cannot change without a reboot
     * @param cgroups        the cgroup sensor for attribution, if any
     * @param cgroupsMissing why there is none, when {@code cgroups} is empty
     */
    public NodeSampler(ProcFiles proc, String node, KernelRelease kernel, Reading<HashBuckets> hashBuckets,
                       Optional<LookupCanary> canary, int canaryEvery, int canaryPasses, Clock clock,
                       Optional<CgroupSampler> cgroups, String cgroupsMissing) {
        if (canaryEvery < 1 || canaryPasses < 1) {
            throw new IllegalArgumentException("canaryEvery and canaryPasses must be at least 1");
        }
        this.proc = proc;
        this.node = node;
        this.kernel = Reading.of(kernel);
        this.hashBuckets = hashBuckets;
        this.canary = canary;
        this.canaryEvery = canaryEvery;
        this.canaryPasses = canaryPasses;
        this.clock = clock;
        this.cgroups = cgroups;
        this.cgroupsMissing = cgroupsMissing;
        if (canary.isEmpty()) {
            lastCanary = Reading.missing("canary disabled");
        }
    }

    /** Reads the sensors and, when due, runs the canary. */
    public NodeObservation sample() {
        Reading<DentryState> dentries = read(DentryState.SOURCE, text -> DentryState.parse(text, kernel.value()));
        Reading<DentrySlab> slab = read(DentrySlab.SOURCE, DentrySlab::parse);
        Reading<MemInfo> memory = read(MemInfo.SOURCE, MemInfo::parse);
        Reading<InodeCounts> inodes = read(InodeCounts.SOURCE, InodeCounts::parse);
        if (canary.isPresent() && samples % canaryEvery == 0) {
            lastCanary = runCanary(canary.get());
        }
        Reading<CgroupSnapshot> cgroupReading = cgroups.isPresent() ? readCgroups(cgroups.get()) : Reading.missing(cgroupsMissing);
        samples++;
        NodeObservation observation = new NodeObservation(clock.instant(), node, kernel, dentries, slab, memory, inodes,
                hashBuckets, lastCanary, cgroupReading);
        logProblemChanges(observation);
        return observation;
    }

    private static Reading<CgroupSnapshot> readCgroups(CgroupSampler sampler) {
        try {
            return Reading.of(sampler.sample());
        } catch (RuntimeException e) {
            return Reading.missing("cgroups under " + sampler.memoryRoot() + ": " + e);
        }
    }

    private Reading<CanaryMeasurement> runCanary(LookupCanary c) {
        try {
            return Reading.of(c.measure(canaryPasses));
        } catch (IOException | RuntimeException e) {
            return Reading.missing("canary failed under " + c.directory() + ": " + e);
        }
    }

    private interface Parser<T> {
        T parse(String text) throws ProcFormatException;
    }

    private <T> Reading<T> read(String source, Parser<T> parser) {
        try {
            return Reading.of(parser.parse(proc.read(source)));
        } catch (ProcFiles.UnreadableException | ProcFormatException e) {
            return Reading.missing(e.getMessage());
        } catch (RuntimeException e) {
            return Reading.missing(source + ": " + e);
        }
    }

    /** Logs a sensor problem when it appears or changes, not at every sample. */
    private void logProblemChanges(NodeObservation o) {
        StringBuilder problems = new StringBuilder();
        for (Reading<?> r : new Reading<?>[] {o.dentries(), o.slab(), o.memory(), o.inodes(), o.hashBuckets()}) {
            if (!r.present()) {
                problems.append(r.problem()).append("; ");
            }
        }
        if (!o.canary().present() && canary.isPresent()) {
            problems.append(o.canary().problem()).append("; ");
        }
        if (o.cgroups().present()) {
            o.cgroups().value().problems().forEach(p -> problems.append(p).append("; "));
        } else if (cgroups.isPresent()) {
            problems.append(o.cgroups().problem()).append("; ");
        }
        String now = problems.toString();
        if (!now.equals(lastProblems)) {
            if (now.isEmpty()) {
                LOG.info("all sensors readable again");
            } else {
                LOG.warn("sensor problems: {}", now.substring(0, now.length() - 2));
            }
            lastProblems = now;
        }
    }
}
