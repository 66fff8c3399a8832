package io.dentryguard.probe;

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
import io.dentryguard.probe.state.BaselineKeeper;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline of one probe: sensors (monitor) -> detector -> sinks (exporter), one sample at a
 * time. Holds the detector's state between samples and saves the baseline when it changes.
 */
public final class ProbeLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeLoop.class);

    private final NodeSampler sampler;
    private final DetectorConfig config;
    private final List<ReportSink> sinks;
    private final List<BaselineKeeper> keepers;
    private final OffenderConfig offenderConfig;
    private DetectorState state;
    private OffenderState offenders = OffenderState.start();
    private final java.util.Map<BaselineKeeper, String> lastSaveProblem = new java.util.HashMap<>();

    public ProbeLoop(NodeSampler sampler, DetectorConfig config, OffenderConfig offenderConfig, List<ReportSink> sinks,
                     List<BaselineKeeper> keepers, Optional<LookupBaseline> resumed) {
        this.sampler = sampler;
        this.config = config;
        this.offenderConfig = offenderConfig;
        this.sinks = List.copyOf(sinks);
        this.keepers = List.copyOf(keepers);
        this.state = DetectorState.start(resumed.orElse(null));
    }

    /** Takes one sample, judges it, hands it to every sink and returns the report. */
    public ProbeReport step() {
        NodeObservation observation = sampler.sample();
        LookupBaseline before = state.baseline();
        Detection detection = Detector.evaluate(state, observation, config);
        state = detection.state();
        if (!Objects.equals(before, state.baseline())) {
            saveBaseline(state.baseline());
        }
        OffenderScoring.Result attribution = OffenderScoring.evaluate(offenders, observation, offenderConfig);
        offenders = attribution.state();
        ProbeReport report = ProbeReport.of(observation, detection.assessment(), attribution.offenders());
        for (ReportSink sink : sinks) {
            try {
                sink.publish(report, observation);
            } catch (RuntimeException e) {
                LOG.warn("sink {} failed: {}", sink.getClass().getSimpleName(), e.toString());
            }
        }
        return report;
    }

    public DetectorState state() {
        return state;
    }

    private void saveBaseline(LookupBaseline baseline) {
        if (baseline == null) {
            return;
        }
        for (BaselineKeeper keeper : keepers) {
            try {
                keeper.save(baseline);
                lastSaveProblem.remove(keeper);
            } catch (IOException e) {
                String problem = "cannot save baseline to " + keeper.where() + ": " + e.getMessage();
                if (!problem.equals(lastSaveProblem.put(keeper, problem))) {
                    LOG.warn(problem);
                }
            }
        }
    }
}
