package io.dentryguard.probe.exporter;

/** Where a sample goes once judged: standard output, metrics, the NodeHealth status. */
public interface ReportSink {
    void publish(ProbeReport report);
}
