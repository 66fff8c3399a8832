package io.dentryguard.probe.exporter.nodehealth;

import io.dentryguard.probe.detector.LookupBaseline;
import io.dentryguard.probe.exporter.ProbeReport;
import io.dentryguard.probe.exporter.ReportSink;
import io.dentryguard.probe.monitor.NodeObservation;
import io.dentryguard.probe.state.BaselineKeeper;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The NodeHealth exporter: hands each report to a writer thread, so a slow or absent API server
 * never delays a sample. Only the latest report waits; one the writer has not reached yet is
 * replaced by the next (the gate compares with what was last written, so no change is missed).
 * Also keeps the latest baseline, which goes along with the next write.
 */
public final class NodeHealthSink implements ReportSink, BaselineKeeper, AutoCloseable {
    private final NodeHealthReporter reporter;
    private final Clock clock;
    private final AtomicReference<ProbeReport> pending = new AtomicReference<>();
    private final AtomicReference<LookupBaseline> baseline = new AtomicReference<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "nodehealth-writer");
        t.setDaemon(true);
        return t;
    });

    public NodeHealthSink(NodeHealthReporter reporter, Clock clock, Optional<LookupBaseline> resumed) {
        this.reporter = reporter;
        this.clock = clock;
        resumed.ifPresent(baseline::set);
    }

    @Override
    public void publish(ProbeReport report, NodeObservation observation) {
        if (pending.getAndSet(report) == null) {
            writer.execute(this::writeLatest);
        }
    }

    private void writeLatest() {
        ProbeReport report = pending.getAndSet(null);
        if (report != null) {
            reporter.offer(report, Optional.ofNullable(baseline.get()), clock.instant());
        }
    }

    @Override
    public void save(LookupBaseline b) {
        baseline.set(b);
    }

    @Override
    public String where() {
        return "the NodeHealth status";
    }

    @Override
    public void close() throws InterruptedException {
        writer.shutdown();
        writer.awaitTermination(10, TimeUnit.SECONDS);
    }
}
