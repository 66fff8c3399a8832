package io.dentryguard.probe.exporter.nodehealth;

import io.dentryguard.probe.exporter.ProbeReport;
import io.dentryguard.probe.exporter.ReportSink;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The NodeHealth exporter: hands each report to a writer thread, so a slow or absent API server
 * never delays a sample. Only the latest report waits; one the writer has not reached yet is
 * replaced by the next (the gate compares with what was last written, so no change is missed).
 */
public final class NodeHealthSink implements ReportSink, AutoCloseable {
    private final NodeHealthReporter reporter;
    private final Clock clock;
    private final AtomicReference<ProbeReport> pending = new AtomicReference<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "nodehealth-writer");
        t.setDaemon(true);
        return t;
    });

    public NodeHealthSink(NodeHealthReporter reporter, Clock clock) {
        this.reporter = reporter;
        this.clock = clock;
    }

    @Override
    public void publish(ProbeReport report) {
        if (pending.getAndSet(report) == null) {
            writer.execute(this::writeLatest);
        }
    }

    private void writeLatest() {
        ProbeReport report = pending.getAndSet(null);
        if (report != null) {
            reporter.offer(report, clock.instant());
        }
    }

    @Override
    public void close() throws InterruptedException {
        writer.shutdown();
        writer.awaitTermination(10, TimeUnit.SECONDS);
    }
}
