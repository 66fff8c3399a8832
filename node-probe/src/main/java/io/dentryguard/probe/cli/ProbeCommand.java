package io.dentryguard.probe.cli;

import io.dentryguard.probe.ProbeLoop;
import io.dentryguard.probe.detector.DetectorConfig;
import io.dentryguard.probe.config.DetectorConfigFile;
import io.dentryguard.probe.detector.offender.OffenderConfig;
import io.dentryguard.probe.exporter.JsonLinesSink;
import io.dentryguard.probe.exporter.LiveTableSink;
import io.dentryguard.probe.exporter.MetricsServer;
import io.dentryguard.probe.exporter.PrometheusSink;
import io.dentryguard.probe.exporter.ReportSink;
import io.dentryguard.probe.exporter.nodehealth.NodeHealthClient;
import io.dentryguard.probe.exporter.nodehealth.NodeHealthReporter;
import io.dentryguard.probe.exporter.nodehealth.NodeHealthSink;
import io.dentryguard.probe.exporter.nodehealth.ReportGate;
import io.dentryguard.probe.baseline.BaselineFile;
import io.dentryguard.probe.baseline.BaselineKeeper;
import io.dentryguard.probe.baseline.NewestBaseline;
import io.dentryguard.probe.baseline.NodeHealthBaseline;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.concurrent.ThreadLocalRandom;
import io.dentryguard.probe.monitor.DentryState;
import io.dentryguard.probe.monitor.HashBucketResolver;
import io.dentryguard.probe.monitor.HashBuckets;
import io.dentryguard.probe.monitor.KernelLog;
import io.dentryguard.probe.monitor.KernelRelease;
import io.dentryguard.probe.monitor.LookupCanary;
import io.dentryguard.probe.monitor.NodeSampler;
import io.dentryguard.probe.monitor.ProcFiles;
import io.dentryguard.probe.monitor.ProcFormatException;
import io.dentryguard.probe.monitor.Reading;
import io.dentryguard.probe.monitor.cgroup.CgroupSampler;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "probe",
        mixinStandardHelpOptions = true,
        description = {"Measures this host's dentry cache and judges its health.",
                "Prints a live table every interval, or JSON with --json."})
public final class ProbeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--once", description = "Take one sample and exit (judged alone, without hysteresis).")
    boolean once;

    @Option(names = "--json", description = "Print one JSON document per sample instead of the table.")
    boolean json;

    @Option(names = "--samples", paramLabel = "N", description = "Stop after N samples (default: run until stopped).")
    Integer samples;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "5s",
            description = "Time between samples (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve Prometheus metrics on http://ADDRESS:PORT/metrics (0 picks a free port).")
    Integer metricsPort;

    @Option(names = "--metrics-address", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "Address the metrics server listens on (default: ${DEFAULT-VALUE}).")
    String metricsAddress;

    @Option(names = "--proc", paramLabel = "DIR", defaultValue = "/proc",
            description = "Where the host's /proc is mounted (default: ${DEFAULT-VALUE}).")
    Path procRoot;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/dentry-guard",
            description = "Keeps the lookup baseline across restarts (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--no-state", description = "Neither read nor write the baseline file.")
    boolean noState;

    @Option(names = "--canary-dir", paramLabel = "DIR",
            description = "Directory for the canary's private tree, on a disk file system (default: STATE-DIR/canary).")
    Path canaryDir;

    @Option(names = "--canary-entries", paramLabel = "N", defaultValue = "2000",
            description = "Distinct paths the canary walks (default: ${DEFAULT-VALUE}).")
    int canaryEntries;

    @Option(names = "--canary-every", paramLabel = "N", defaultValue = "6",
            description = "Run the canary every N samples (default: ${DEFAULT-VALUE}, i.e. every 30 s at 5 s).")
    int canaryEvery;

    @Option(names = "--canary-passes", paramLabel = "N", defaultValue = "2",
            description = "Walks of the tree per canary run (default: ${DEFAULT-VALUE}).")
    int canaryPasses;

    @Option(names = "--no-canary", description = "Do not time lookups (chain length and growth only).")
    boolean noCanary;

    @Option(names = "--hash-buckets", paramLabel = "N",
            description = "Dentry hash table size to use when neither the kernel log nor /proc/meminfo can tell it.")
    Long hashBuckets;

    @Option(names = "--config", paramLabel = "FILE", description = "Detector settings (properties file, see docs/probe.md).")
    Path configFile;

    @Option(names = "--cgroup-root", paramLabel = "DIR", defaultValue = "/sys/fs/cgroup",
            description = "Where the host's cgroup file systems are mounted (default: ${DEFAULT-VALUE}).")
    Path cgroupRoot;

    @Option(names = "--no-attribution", description = "Do not read cgroups or name offenders.")
    boolean noAttribution;

    @Option(names = "--top-offenders", paramLabel = "K", defaultValue = "5",
            description = "Offenders listed and exported as metrics (default: ${DEFAULT-VALUE}).")
    int topOffenders;

    @Option(names = "--cgroup-rescan-every", paramLabel = "N", defaultValue = "6",
            description = "List cgroups again every N samples (default: ${DEFAULT-VALUE}); figures are read every sample.")
    int cgroupRescanEvery;

    @Option(names = "--node", paramLabel = "NAME", description = "Node name to report (default: $NODE_NAME, else the host name).")
    String node;

    @Option(names = "--report-node-health",
            description = "Also write this node's NodeHealth status (in a pod: its service account; else the current kubeconfig).")
    boolean reportNodeHealth;

    @Option(names = "--heartbeat", paramLabel = "DURATION", defaultValue = "5m",
            description = "With --report-node-health: write at least this often, less up to 10%% at random (default: ${DEFAULT-VALUE}).")
    Duration heartbeat;

    @Override
    public Integer call() throws Exception {
        validate();
        if (!System.getProperty("os.name", "").equals("Linux")) {
            throw new IllegalStateException("the probe needs Linux; this is " + System.getProperty("os.name"));
        }
        DetectorConfig config = configFile == null ? DetectorConfig.defaults() : DetectorConfigFile.load(configFile);
        if (once) {
            // One sample has no series to smooth: judge it alone.
            config = config.withHysteresis(1, 1);
        }
        ProcFiles proc = new ProcFiles(procRoot);
        KernelRelease kernel = checkProcReadable(proc);
        Clock clock = Clock.systemUTC();
        // Everything that can refuse to start does so before the first log line.
        Optional<LookupCanary> canary = noCanary ? Optional.empty() : Optional.of(prepareCanary(clock));
        Reading<HashBuckets> buckets = resolveBuckets(proc);
        List<BaselineKeeper> keepers = new ArrayList<>();
        if (!noState) {
            keepers.add(new BaselineFile(stateDir.resolve("baseline.json")));
        }
        String nodeName = nodeName(proc);
        NodeHealthSink nodeHealth = null;
        if (reportNodeHealth) {
            NodeHealthClient api = nodeHealthClient(nodeName);
            NodeHealthBaseline statusBaseline = new NodeHealthBaseline(api);
            keepers.add(statusBaseline);
            nodeHealth = new NodeHealthSink(reporter(api, statusBaseline), clock);
        }

        PrintStream out = System.out;
        List<ReportSink> sinks = new ArrayList<>();
        sinks.add(json ? new JsonLinesSink(out) : new LiveTableSink(out));
        PrometheusSink prometheus = null;
        if (metricsPort != null) {
            prometheus = new PrometheusSink(topOffenders);
            sinks.add(prometheus);
        }
        if (nodeHealth != null) {
            sinks.add(nodeHealth);
            LOG.info("reporting to NodeHealth {} (heartbeat {} s)", nodeName, heartbeat.toSeconds());
        }
        try (MetricsServer server = prometheus == null ? null
                : MetricsServer.start(metricsAddress, metricsPort, prometheus::scrape);
             NodeHealthSink closeLast = nodeHealth) {
            if (server != null) {
                LOG.info("serving metrics on http://{}:{}/metrics", metricsAddress, server.port());
            }
            Optional<CgroupSampler> cgroups = Optional.empty();
            String cgroupsMissing = "attribution disabled (--no-attribution)";
            if (!noAttribution) {
                try {
                    cgroups = Optional.of(CgroupSampler.open(cgroupRoot, cgroupRescanEvery));
                    LOG.info("attribution: cgroup {} memory controller at {}", cgroups.get().version(), cgroups.get().memoryRoot());
                } catch (ProcFiles.UnreadableException e) {
                    cgroupsMissing = "no attribution: " + e.getMessage();
                }
            }
            NodeSampler sampler = new NodeSampler(proc, nodeName, kernel, buckets, canary, canaryEvery, canaryPasses, clock,
                    cgroups, cgroupsMissing);
            ProbeLoop loop = ProbeLoop.start(sampler, kernel.release(), config, OffenderConfig.defaults().withTopK(topOffenders), sinks,
                    new NewestBaseline(keepers));
            long total = once ? 1 : samples == null ? Long.MAX_VALUE : samples;
            long start = System.nanoTime();
            for (long i = 0; i < total; i++) {
                if (i > 0) {
                    // Sample on a fixed grid, so a slow sample does not shift the following ones.
                    long due = start + i * interval.toNanos();
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                loop.step();
            }
        } finally {
            if (canary.isPresent()) {
                canary.get().close();
            }
        }
        return 0;
    }

    private static NodeHealthClient nodeHealthClient(String nodeName) {
        // fabric8 would retry failed requests itself, for up to a minute; the reporter backs off instead.
        Config config = new ConfigBuilder(Config.autoConfigure(null)).withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(5_000).withRequestTimeout(10_000).build();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        return new NodeHealthClient(client, nodeName);
    }

    private NodeHealthReporter reporter(NodeHealthClient api, NodeHealthBaseline baseline) {
        String version = Optional.ofNullable(ProbeCommand.class.getPackage().getImplementationVersion()).orElse("development");
        return new NodeHealthReporter(api, ReportGate.defaults(), heartbeat, () -> ThreadLocalRandom.current().nextDouble(), version,
                baseline);
    }

    private void validate() {
        List<String> errors = new ArrayList<>();
        if (once && samples != null) {
            errors.add("--once and --samples exclude each other");
        }
        if (samples != null && samples < 1) {
            errors.add("--samples must be at least 1");
        }
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
            errors.add("--metrics-port must be within 0..65535");
        }
        if (canaryEntries < 20 || canaryEntries > 1_000_000) {
            errors.add("--canary-entries must be within 20..1000000");
        }
        if (canaryEvery < 1) {
            errors.add("--canary-every must be at least 1");
        }
        if (canaryPasses < 1 || canaryPasses > 100) {
            errors.add("--canary-passes must be within 1..100");
        }
        if (topOffenders < 1 || topOffenders > 100) {
            errors.add("--top-offenders must be within 1..100");
        }
        if (cgroupRescanEvery < 1) {
            errors.add("--cgroup-rescan-every must be at least 1");
        }
        if (hashBuckets != null && hashBuckets < 1) {
            errors.add("--hash-buckets must be positive");
        }
        if (reportNodeHealth && once) {
            errors.add("--report-node-health needs a running probe, not --once");
        }
        if (heartbeat.compareTo(Duration.ofSeconds(10)) < 0) {
            errors.add("--heartbeat must be at least 10s");
        }
        if (!errors.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", errors));
        }
    }

    private static KernelRelease checkProcReadable(ProcFiles proc) throws ProcFiles.UnreadableException, ProcFormatException {
        KernelRelease kernel = KernelRelease.parse(proc.read(KernelRelease.SOURCE));
        DentryState.parse(proc.read(DentryState.SOURCE), kernel);
        return kernel;
    }

    private Reading<HashBuckets> resolveBuckets(ProcFiles proc) {
        OptionalLong configured = hashBuckets == null ? OptionalLong.empty() : OptionalLong.of(hashBuckets);
        try {
            HashBuckets b = new HashBucketResolver(proc, KernelLog.dmesg(), configured).resolve();
            LOG.info("dentry hash table: {} buckets ({})", b.buckets(), b.detail());
            if (hashBuckets != null && hashBuckets != b.buckets()) {
                LOG.warn("--hash-buckets {} ignored: the kernel says {} ({})", hashBuckets, b.buckets(), b.source().jsonName());
            }
            return Reading.of(b);
        } catch (ProcFiles.UnreadableException e) {
            LOG.warn(e.getMessage());
            return Reading.missing(e.getMessage());
        }
    }

    private LookupCanary prepareCanary(Clock clock) throws IOException {
        Path dir = canaryDir != null ? canaryDir : stateDir.resolve("canary");
        try {
            return LookupCanary.prepare(dir, canaryEntries, clock);
        } catch (IOException e) {
            throw new IOException("cannot prepare the canary: " + e.getMessage() + " (see --canary-dir, --no-canary)", e);
        }
    }

    private String nodeName(ProcFiles proc) {
        if (node != null && !node.isBlank()) {
            return node;
        }
        String env = System.getenv("NODE_NAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return proc.read("/proc/sys/kernel/hostname").strip();
        } catch (ProcFiles.UnreadableException e) {
            return "unknown";
        }
    }
}
