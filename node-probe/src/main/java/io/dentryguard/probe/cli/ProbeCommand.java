package io.dentryguard.probe.cli;

import io.dentryguard.probe.monitor.MonitorSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dentry-guard probe}: its options and their checks; {@link ProbeAssembly} builds the probe they describe. */
@Command(name = "probe",
        mixinStandardHelpOptions = true,
        description = {"Measures this host's dentry cache and judges its health.",
                "Prints a live table every interval, or JSON with --json."})
public final class ProbeCommand implements Callable<Integer> {
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

    @Mixin
    HostPaths host = new HostPaths();

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

    @Option(names = "--no-offenders", description = "Do not read cgroups or name offenders.")
    boolean noOffenders;

    /** --no-offenders as docs/probe.md spelt it before "offender" became the feature's one name; still taken, not listed. */
    @Option(names = "--no-attribution", hidden = true)
    boolean noOffendersFormerSpelling;

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

    @Option(names = "--reclaim-pods",
            description = {"With --report-node-health: carry out the operator's Pod reclaim requests (spec.reclaim) by writing the pod's",
                    "memory cgroup (v1 memory.force_empty, v2 memory.reclaim). Needs the host's cgroup tree mounted writable (default: off)."})
    boolean reclaimPods;

    @Option(names = "--reclaim-node",
            description = {"With --report-node-health: carry out Node reclaim requests by writing 2 to /proc/sys/vm/drop_caches: drops",
                    "every workload's cached dentries and inodes, and can take tens of seconds. Needs /proc/sys/vm writable (default: off)."})
    boolean reclaimNode;

    @Option(names = "--reclaim-timeout", paramLabel = "DURATION", defaultValue = "5m",
            description = "Refuse reclaim requests asked longer ago than this (default: ${DEFAULT-VALUE}).")
    Duration reclaimTimeout;

    @Override
    public Integer call() throws Exception {
        validate();
        if (!System.getProperty("os.name", "").equals("Linux")) {
            throw new IllegalStateException("the probe needs Linux; this is " + System.getProperty("os.name"));
        }
        try (ProbeAssembly probe = ProbeAssembly.assemble(this)) {
            probe.loop().run(once ? 1 : samples == null ? Long.MAX_VALUE : samples, interval);
        }
        return 0;
    }

    MonitorSettings monitorSettings() {
        // --node, else $NODE_NAME (from spec.nodeName in the DaemonSet), else the monitors read the host name.
        Optional<String> nodeName = Stream.of(node, System.getenv("NODE_NAME")).filter(n -> n != null && !n.isBlank()).findFirst();
        Optional<MonitorSettings.Canary> canary = noCanary ? Optional.empty() : Optional.of(new MonitorSettings.Canary(
                canaryDir != null ? canaryDir : stateDir.resolve("canary"), canaryEntries, canaryEvery, canaryPasses));
        Optional<MonitorSettings.Cgroups> cgroups = noOffenders || noOffendersFormerSpelling ? Optional.empty()
                : Optional.of(new MonitorSettings.Cgroups(host.cgroupRoot, cgroupRescanEvery));
        return new MonitorSettings(host.procRoot, nodeName, hashBuckets == null ? OptionalLong.empty() : OptionalLong.of(hashBuckets),
                canary, cgroups);
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
        if ((reclaimPods || reclaimNode) && !reportNodeHealth) {
            errors.add("--reclaim-pods and --reclaim-node take their requests from the NodeHealth: they need --report-node-health");
        }
        if (heartbeat.compareTo(Duration.ofSeconds(10)) < 0) {
            errors.add("--heartbeat must be at least 10s");
        }
        if (!errors.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", errors));
        }
    }
}
