package io.dentryguard.probe;

import io.dentryguard.probe.baseline.BaselineKeeper;
import io.dentryguard.probe.detector.Detection;
import io.dentryguard.probe.detector.Detector;
import io.dentryguard.probe.detector.DetectorConfig;
import io.dentryguard.probe.detector.DetectorState;
import io.dentryguard.probe.detector.LookupBaseline;
import io.dentryguard.probe.detector.offender.OffenderConfig;
import io.dentryguard.probe.detector.offender.OffenderScoring;
import io.dentryguard.probe.detector.offender.OffenderState;
import io.dentryguard.probe.exporter.ProbeReport;
import io.dentryguard.probe.exporter.ReportSink;
import io.dentryguard.probe.monitor.NodeMonitor;
import io.dentryguard.probe.monitor.NodeObservation;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sampling loop of one probe: monitors -> detector -> exporters, one sample at a time. Holds
 * the detector's state between samples; the lookup baseline, the one part of it that outlives a
 * restart, is loaded from its keeper at start and saved to it whenever it changes.
 */
public final class ProbeLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeLoop.class);

    private final NodeMonitor monitor;
    private final DetectorConfig config;
    private final OffenderConfig offenderConfig;
    private final List<ReportSink> sinks;
    private final BaselineKeeper baselines;
    private DetectorState state;
    private OffenderState offenders = OffenderState.start();
    private String lastSaveProblem;

    private ProbeLoop(NodeMonitor monitor, DetectorConfig config, OffenderConfig offenderConfig, List<ReportSink> sinks,
                      BaselineKeeper baselines) {
        this.monitor = monitor;
        this.config = config;
        this.offenderConfig = offenderConfig;
        this.sinks = List.copyOf(sinks);
        this.baselines = baselines;
    }

    /**
     * A loop that resumes the baseline kept for the monitored kernel, if any, and hands it to every
     * home at once (one may have had none, or an older one).
     */
    public static ProbeLoop start(NodeMonitor monitor, DetectorConfig config, OffenderConfig offenderConfig,
                                  List<ReportSink> sinks, BaselineKeeper baselines) {
        ProbeLoop loop = new ProbeLoop(monitor, config, offenderConfig, sinks, baselines);
        LookupBaseline resumed = baselines.load(monitor.kernel().release()).orElse(null);
        loop.state = DetectorState.start(resumed);
        loop.save(resumed);
        return loop;
    }

    /** Takes {@code samples} samples {@code interval} apart. */
    public void run(long samples, Duration interval) throws InterruptedException {
        long start = System.nanoTime();
        for (long i = 0; i < samples; i++) {
            if (i > 0) {
                // On a fixed grid, so that a slow sample does not shift the following ones.
                long wait = start + i * interval.toNanos() - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            step();
        }
    }

    /** Takes one sample, judges it, hands it to every sink and returns the report. */
    public ProbeReport step() {
        NodeObservation observation = monitor.sample();
        LookupBaseline before = state.baseline();
        Detection detection = Detector.evaluate(state, observation, config);
        state = detection.state();
        if (!Objects.equals(before, state.baseline())) {
            save(state.baseline());
        }
        OffenderScoring.Result scored = OffenderScoring.evaluate(offenders, observation, offenderConfig);
        offenders = scored.state();
        ProbeReport report = ProbeReport.of(observation, detection.assessment(), scored.offenders());
        for (ReportSink sink : sinks) {
            try {
                sink.publish(report);
            } catch (RuntimeException e) {
                LOG.warn("sink {} failed: {}", sink.getClass().getSimpleName(), e.toString());
            }
        }
        return report;
    }

    public DetectorState state() {
        return state;
    }

    /** Logs a failure when it appears or changes, not at every canary run. */
    private void save(LookupBaseline baseline) {
        if (baseline == null) {
            return;
        }
        try {
            baselines.save(baseline);
            lastSaveProblem = null;
        } catch (IOException e) {
            String problem = "cannot save baseline to " + e.getMessage();
            if (!problem.equals(lastSaveProblem)) {
                LOG.warn(problem);
            }
            lastSaveProblem = problem;
        }
    }
}
