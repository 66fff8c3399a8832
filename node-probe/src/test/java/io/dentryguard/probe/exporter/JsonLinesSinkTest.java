package io.dentryguard.probe.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

class JsonLinesSinkTest {
    @Test
    void verdictAndConfidenceAreSpelledAsTheDocsAndTheCrdSpellThem() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Instant t = Instant.parse("2026-11-29T12:00:00Z");
        NodeObservation o = PrometheusSinkTest.observation(t, t, new double[] {800});
        Detection d = Detector.evaluate(DetectorState.start(null), o, DetectorConfig.defaults());
        Offender top = new Offender("kubepods/burstable/poda", "pod", "a", null, 4_000_000_000L, 1e7, 0.97, Confidence.HIGH, "r");

        new JsonLinesSink(new PrintStream(bytes, true, StandardCharsets.UTF_8)).publish(ProbeReport.of(o, d.assessment(), List.of(top)));

        JsonNode j = new ObjectMapper().readTree(bytes.toString(StandardCharsets.UTF_8));
        assertThat(j.path("verdict").asText()).isEqualTo("Degraded");
        assertThat(j.path("offenders").path(0).path("confidence").asText()).isEqualTo("High");
        assertThat(j.path("lookup").has("chunkNsPerLookup")).as("the histogram's input is not part of the document").isFalse();
    }
}
