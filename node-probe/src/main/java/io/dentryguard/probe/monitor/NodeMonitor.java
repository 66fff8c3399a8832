package io.dentryguard.probe.monitor;

import io.dentryguard.probe.monitor.cgroup.CgroupMonitor;
import io.dentryguard.probe.monitor.cgroup.CgroupSnapshot;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's monitors as one: reads each once per sample, and the canary every {@code canaryEvery}
 * samples. A monitor that fails yields a {@link Reading} with the reason; a sample never throws.
 */
public final class NodeMonitor implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeMonitor.class);

    private final ProcFiles proc;
    private final String node;
    private final Reading<KernelRelease> kernel;
    private final Reading<HashBuckets> hashBuckets;
    private final Optional<LookupCanary> canary;
    private final int canaryEvery;
    private final int canaryPasses;
    private final Clock clock;
    private final Optional<CgroupMonitor> cgroups;
    private final String cgroupsMissing;
    private long samples;
    private Reading<CanaryMeasurement> lastCanary = Reading.missing("canary has not run yet");
    private String lastProblems = "";

    public NodeMonitor(ProcFiles proc, String node, KernelRelease kernel, Reading<HashBuckets> hashBuckets,
                       Optional<LookupCanary> canary, int canaryEvery, int canaryPasses, Clock clock) {
        this(proc, node, kernel, hashBuckets, canary, canaryEvery, canaryPasses, clock, Optional.empty(), "offenders not named");
    }

    /**
     * @param kernel         the running kernel, read once at start: it cannot change without a reboot
     * @param cgroups        the cgroup monitor for naming offenders, if any
     * @param cgroupsMissing why there is none, when {@code cgroups} is empty
     */
    public NodeMonitor(ProcFiles proc, String node, KernelRelease kernel, Reading<HashBuckets> hashBuckets,
                       Optional<LookupCanary> canary, int canaryEvery, int canaryPasses, Clock clock,
                       Optional<CgroupMonitor> cgroups, String cgroupsMissing) {
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

    /**
     * Starts the monitors with what is read once: the kernel release and the hash table size (neither
     * changes without a reboot) and the node's name. Refuses to start, rather than report nothing
     * for ever, when the kernel release or dentry-state cannot be read or the canary cannot be made.
     */
    public static NodeMonitor start(MonitorSettings settings, Clock clock) throws ProcFiles.UnreadableException,
            ProcFormatException, IOException {
        ProcFiles proc = new ProcFiles(settings.procRoot());
        KernelRelease kernel = KernelRelease.parse(proc.read(KernelRelease.SOURCE));
        DentryState.parse(proc.read(DentryState.SOURCE), kernel);
        Optional<LookupCanary> canary = Optional.empty();
        if (settings.canary().isPresent()) {
            canary = Optional.of(prepare(settings.canary().get(), clock));
        }
        Reading<HashBuckets> buckets = new HashBucketResolver(proc, KernelLog.dmesg(), settings.hashBuckets()).resolveOrExplain();
        String node = settings.node().orElseGet(() -> hostName(proc));
        Optional<CgroupMonitor> cgroups = Optional.empty();
        String cgroupsMissing = "offenders not named (--no-offenders)";
        if (settings.cgroups().isPresent()) {
            try {
                cgroups = Optional.of(CgroupMonitor.open(settings.cgroups().get().root(), settings.cgroups().get().rescanEvery()));
                LOG.info("naming offenders from the cgroup {} memory controller at {}", cgroups.get().version(), cgroups.get().memoryRoot());
            } catch (ProcFiles.UnreadableException e) {
                cgroupsMissing = "offenders not named: " + e.getMessage();
            }
        }
        int every = settings.canary().map(MonitorSettings.Canary::every).orElse(1);
        int passes = settings.canary().map(MonitorSettings.Canary::passes).orElse(1);
        return new NodeMonitor(proc, node, kernel, buckets, canary, every, passes, clock, cgroups, cgroupsMissing);
    }

    private static LookupCanary prepare(MonitorSettings.Canary c, Clock clock) throws IOException {
        try {
            return LookupCanary.prepare(c.directory(), c.entries(), clock);
        } catch (IOException e) {
            throw new IOException("cannot prepare the canary: " + e.getMessage() + " (see --canary-dir, --no-canary)", e);
        }
    }

    private static String hostName(ProcFiles proc) {
        try {
            return proc.read("/proc/sys/kernel/hostname").strip();
        } catch (ProcFiles.UnreadableException e) {
            return "unknown";
        }
    }

    public KernelRelease kernel() {
        return kernel.value();
    }

    public String node() {
        return node;
    }

    /** Reads the monitors and, when due, runs the canary. */
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

    private static Reading<CgroupSnapshot> readCgroups(CgroupMonitor sampler) {
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

    /** Logs a monitor's problem when it appears or changes, not at every sample. */
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
                LOG.info("all monitors readable again");
            } else {
                LOG.warn("monitor problems: {}", now.substring(0, now.length() - 2));
            }
            lastProblems = now;
        }
    }

    /** Closes the canary's control file and the cgroup files kept open. */
    @Override
    public void close() throws IOException {
        if (canary.isPresent()) {
            canary.get().close();
        }
        if (cgroups.isPresent()) {
            cgroups.get().close();
        }
    }
}
