package io.dentryguard.probe.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.v1alpha1.OffenderStatus.Confidence;
import io.dentryguard.probe.detector.Detection;
import io.dentryguard.probe.detector.Detector;
import io.dentryguard.probe.detector.DetectorConfig;
import io.dentryguard.probe.detector.DetectorState;
import io.dentryguard.probe.detector.offender.Offender;
import io.dentryguard.probe.monitor.NodeObservation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveTableSinkTest {
    @Test
    void showsTheTopOffenderAndTheReasonsWhenTheVerdictChanges() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LiveTableSink table = new LiveTableSink(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        Instant t = Instant.parse("2026-11-29T12:00:00Z");
        NodeObservation o = PrometheusSinkTest.observation(t, t, new double[] {800});
        Detection d = Detector.evaluate(DetectorState.start(null), o, DetectorConfig.defaults());
        Offender top = new Offender("kubepods/burstable/poda", "pod", "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", null,
                4_000_000_000L, 1e7, 0.97, Confidence.HIGH, "r");
        table.publish(ProbeReport.of(o, d.assessment(), List.of(top)));
        table.publish(ProbeReport.of(o, d.assessment(), List.of()));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).startsWith("TIME").contains("TOP OFFENDER");
        assertThat(lines.get(1)).contains("Degraded", "20,000,000", "19,500,000", "3.58 GiB", "4.77",
                "pod 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b High 97% 3.73 GiB");
        assertThat(lines.get(2)).startsWith("  Degraded: average hash chain 4.768");
        assertThat(lines.get(3)).contains("Degraded").endsWith("-");
        assertThat(lines).hasSize(4);
    }
}
