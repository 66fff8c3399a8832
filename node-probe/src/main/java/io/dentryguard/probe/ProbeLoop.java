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
import io.dentryguard.probe.monitor.NodeObservation;
import io.dentryguard.probe.monitor.NodeSampler;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline of one probe: monitors -> detector -> exporters, one sample at a time. Holds the
 * detector's state between samples; the lookup baseline, the one part of it that outlives a restart,
 * is loaded from its keeper at start and saved to it whenever it changes.
 */
public final class ProbeLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeLoop.class);

    private final NodeSampler sampler;
    private final DetectorConfig config;
    private final OffenderConfig offenderConfig;
    private final List<ReportSink> sinks;
    private final BaselineKeeper baselines;
    private DetectorState state;
    private OffenderState offenders = OffenderState.start();
    private String lastSaveProblem;

    private ProbeLoop(NodeSampler sampler, DetectorConfig config, OffenderConfig offenderConfig, List<ReportSink> sinks,
                      BaselineKeeper baselines) {
        this.sampler = sampler;
        this.config = config;
        this.offenderConfig = offenderConfig;
        this.sinks = List.copyOf(sinks);
        this.baselines = baselines;
    }

    /**
     * A loop that resumes the baseline kept for {@code kernel}, if any, and hands it to every home
     * at once (one may have had none, or an older one).
     */
    public static ProbeLoop start(NodeSampler sampler, String kernel, DetectorConfig config, OffenderConfig offenderConfig,
                                  List<ReportSink> sinks, BaselineKeeper baselines) {
        ProbeLoop loop = new ProbeLoop(sampler, config, offenderConfig, sinks, baselines);
        LookupBaseline resumed = baselines.load(kernel).orElse(null);
        loop.state = DetectorState.start(resumed);
        loop.save(resumed);
        return loop;
    }

    /** Takes one sample, judges it, hands it to every sink and returns the report. */
    public ProbeReport step() {
        NodeObservation observation = sampler.sample();
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
