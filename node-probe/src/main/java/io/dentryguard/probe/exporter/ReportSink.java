package io.dentryguard.probe.exporter;

import io.dentryguard.probe.monitor.NodeObservation;

/** Where a sample goes once judged: standard output, metrics, later the NodeHealth status. */
public interface ReportSink {
    void publish(ProbeReport report, NodeObservation observation);
}
