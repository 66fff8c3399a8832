package io.dentryguard.probe.cli;

import io.dentryguard.probe.actuator.reclaim.CgroupReclaimer;
import io.dentryguard.probe.actuator.reclaim.MemoryHierarchy;
import io.dentryguard.probe.actuator.reclaim.PodCgroups;
import io.dentryguard.probe.actuator.reclaim.ReclaimCapabilities;
import io.dentryguard.probe.actuator.reclaim.ReclaimCapabilityCheck;
import io.dentryguard.probe.actuator.reclaim.ReclaimWorker;

import io.dentryguard.probe.ProbeLoop;
import io.dentryguard.probe.baseline.BaselineFile;
import io.dentryguard.probe.baseline.BaselineKeeper;
import io.dentryguard.probe.baseline.NewestBaseline;
import io.dentryguard.probe.baseline.NodeHealthBaseline;
import io.dentryguard.probe.config.DetectorConfigFile;
import io.dentryguard.probe.detector.DetectorConfig;
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
import io.dentryguard.probe.monitor.NodeMonitor;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The probe the options describe: its monitors, detector settings, exporters and the homes of its
 * baseline, wired into a {@link ProbeLoop}. Closing it closes what it opened, last opened first.
 */
final class ProbeAssembly implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeAssembly.class);

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private final List<ReportSink> sinks = new ArrayList<>();
    private final List<BaselineKeeper> baselineHomes = new ArrayList<>();
    private ProbeLoop loop;

    private ProbeAssembly() {}

    /** Everything that can refuse to start does so here, before the first sample. */
    static ProbeAssembly assemble(ProbeCommand options) throws Exception {
        ProbeAssembly probe = new ProbeAssembly();
        try {
            probe.build(options);
            return probe;
        } catch (Exception | Error e) {
            try {
                probe.close();
            } catch (Exception alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
    }

    ProbeLoop loop() {
        return loop;
    }

    private void build(ProbeCommand o) throws Exception {
        DetectorConfig config = o.configFile == null ? DetectorConfig.defaults() : DetectorConfigFile.load(o.configFile);
        if (o.once) {
            // One sample has no series to smooth: judge it alone.
            config = config.withHysteresis(1, 1);
        }
        Clock clock = Clock.systemUTC();
        NodeMonitor monitor = open(NodeMonitor.start(o.monitorSettings(), clock));
        if (!o.noState) {
            baselineHomes.add(new BaselineFile(o.stateDir.resolve("baseline.json")));
        }
        sinks.add(o.json ? new JsonLinesSink(System.out) : new LiveTableSink(System.out));
        if (o.metricsPort != null) {
            PrometheusSink prometheus = new PrometheusSink(o.topOffenders);
            sinks.add(prometheus);
            MetricsServer server = open(MetricsServer.start(o.metricsAddress, o.metricsPort, prometheus::scrape));
            LOG.info("serving metrics on http://{}:{}/metrics", o.metricsAddress, server.port());
        }
        if (o.reportNodeHealth) {
            reportNodeHealth(o, monitor.node(), clock);
        }
        loop = ProbeLoop.start(monitor, config, OffenderConfig.defaults().withTopK(o.topOffenders), sinks,
                new NewestBaseline(baselineHomes));
    }

    /** The NodeHealth exporter, and the status as a home of the baseline. */
    private void reportNodeHealth(ProbeCommand o, String node, Clock clock) {
        NodeHealthClient api = NodeHealthClient.connect(node);
        NodeHealthBaseline baseline = new NodeHealthBaseline(api);
        String version = Optional.ofNullable(ProbeAssembly.class.getPackage().getImplementationVersion()).orElse("development");
        // Looked up once: what the probe can reclaim and what it reclaims with come from the same hierarchy.
        Optional<MemoryHierarchy> hierarchy = MemoryHierarchy.find(o.host.cgroupRoot);
        ReclaimCapabilities reclaim = reclaimCapabilities(o, hierarchy);
        NodeHealthReporter reporter = new NodeHealthReporter(api, ReportGate.defaults(), o.heartbeat,
                () -> ThreadLocalRandom.current().nextDouble(), version, baseline, reclaim);
        sinks.add(open(new NodeHealthSink(reporter, clock)));
        baselineHomes.add(baseline);
        LOG.info("reporting to NodeHealth {} (heartbeat {} s)", node, o.heartbeat.toSeconds());
        answerReclaimRequests(o, api, reclaim, hierarchy, clock);
    }

    /** What this probe can reclaim, said in one line: the options, then whether it can write what each scope writes. */
    private static ReclaimCapabilities reclaimCapabilities(ProbeCommand o, Optional<MemoryHierarchy> hierarchy) {
        ReclaimCapabilities c = ReclaimCapabilityCheck.check(o.reclaimPods, o.reclaimNode, hierarchy,
                o.host.cgroupRoot, o.host.dropCaches());
        LOG.info(c.describe());
        return c;
    }

    /**
     * Watches this node's own NodeHealth and answers its spec.reclaim on a worker thread: Refused
     * for every scope this probe cannot perform, so that the operator is never left waiting.
     */
    private void answerReclaimRequests(ProbeCommand o, NodeHealthClient api, ReclaimCapabilities reclaim, Optional<MemoryHierarchy> hierarchy,
                                       Clock clock) {
        PodCgroups pods = hierarchy.map(h -> new PodCgroups(h.root())).orElse(null);
        CgroupReclaimer reclaimer = new CgroupReclaimer(o.host.proc(), o.host.dropCaches(), hierarchy.orElse(null));
        ReclaimWorker worker = open(new ReclaimWorker(api.node(), reclaim,
                uid -> pods == null ? Optional.empty() : pods.find(uid), reclaimer, api::writeReclaimOutcome, clock,
                o.reclaimTimeout, java.time.Duration.ofSeconds(1)));
        var informer = api.watchOwn(worker::offer);
        open((AutoCloseable) informer::stop);
    }

    private <T extends AutoCloseable> T open(T resource) {
        opened.push(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
