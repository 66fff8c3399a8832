package io.dentryguard.probe.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.testing.Promtool;
import io.dentryguard.api.v1alpha1.OffenderStatus.Confidence;
import io.dentryguard.probe.detector.Detection;
import io.dentryguard.probe.detector.Detector;
import io.dentryguard.probe.detector.DetectorConfig;
import io.dentryguard.probe.detector.DetectorState;
import io.dentryguard.probe.detector.offender.Offender;
import io.dentryguard.probe.monitor.CanaryMeasurement;
import io.dentryguard.probe.monitor.DentrySlab;
import io.dentryguard.probe.monitor.DentryState;
import io.dentryguard.probe.monitor.HashBuckets;
import io.dentryguard.probe.monitor.InodeCounts;
import io.dentryguard.probe.monitor.KernelRelease;
import io.dentryguard.probe.monitor.MemInfo;
import io.dentryguard.probe.monitor.NodeObservation;
import io.dentryguard.probe.monitor.Reading;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusSinkTest {
    private static final Instant T = Instant.parse("2026-11-29T12:00:00Z");

    static NodeObservation observation(Instant at, Instant canaryAt, double[] chunks) {
        return new NodeObservation(at, "node-a", Reading.of(new KernelRelease("6.18.44", 6, 18)),
                Reading.of(new DentryState(20_000_000, 19_000_000, 45, 0, 19_500_000L)),
                Reading.of(new DentrySlab(20_000_000, 20_000_010, 192, 20_000_010L * 192)),
                Reading.of(new MemInfo(25L << 30, 10L << 30, 23L << 30, 4L << 30)),
                Reading.of(new InodeCounts(12_000, 10)),
                Reading.of(new HashBuckets(4_194_304, HashBuckets.Source.KERNEL_LOG, "t")),
                Reading.of(new CanaryMeasurement(canaryAt, 1_400, 9.0, 2000, 7, 2, 9_000_000, chunks)),
                Reading.missing("offenders not named"));
    }

    static String publishTwo(PrometheusSink sink) {
        DetectorState state = DetectorState.start(null);
        for (int i = 0; i < 2; i++) {
            // Both samples carry the same canary run, as the node monitor does between runs.
            NodeObservation o = observation(T.plusSeconds(5L * i), T, new double[] {800, 1_200, 4_500});
            Detection d = Detector.evaluate(state, o, DetectorConfig.defaults());
            state = d.state();
            sink.publish(ProbeReport.of(o, d.assessment()));
        }
        return sink.scrape();
    }

    @Test
    void exportsTheFiguresWithUnitsAndTheVerdict() {
        String text = publishTwo(new PrometheusSink());
        assertThat(text).contains(
                "dentryguard_dentries{state=\"negative\"} 1.95E7",
                "dentryguard_dentry_slab_bytes 3.84000192E9",
                "dentryguard_dentry_hash_buckets 4194304.0",
                "dentryguard_verdict{verdict=\"Degraded\"} 1.0",
                "dentryguard_verdict{verdict=\"Healthy\"} 0.0",
                "dentryguard_memory_free_bytes 1.073741824E10",
                "dentryguard_canary_lookup_median_seconds 1.4E-6",
                "dentryguard_samples_total 2.0");
        assertThat(text).containsPattern("dentryguard_dentry_hash_chain_length 4\\.76837\\d*");
        // unknown figures are NaN, not 0
        assertThat(text).contains("dentryguard_canary_lookup_ratio NaN");
    }

    @Test
    void theCanaryHistogramCountsEachRunOnceInFixedBuckets() {
        String text = publishTwo(new PrometheusSink());
        // The run seen in two samples is recorded once: 3 chunks, not 6.
        assertThat(text).contains("dentryguard_canary_lookup_seconds_count 3");
        assertThat(text).contains("dentryguard_canary_lookup_seconds_bucket{le=\"1.0E-6\"} 1");
        assertThat(text).contains("dentryguard_canary_lookup_seconds_bucket{le=\"1.5E-6\"} 2");
        assertThat(text).contains("dentryguard_canary_lookup_seconds_bucket{le=\"5.0E-6\"} 3");
    }

    /** Suspected offenders: a pod, a pod without growth, a host service. */
    private static final List<Offender> THREE_OFFENDERS = List.of(
            new Offender("kubepods/burstable/poda", "pod", "a", "c1", 500_000_000, 1e7, 0.95, Confidence.HIGH, "r"),
            new Offender("kubepods/burstable/podb", "pod", "b", null, 40_000_000, 0.0, 0.1, Confidence.LOW, "r"),
            new Offender("system.slice/x.service", "host", null, null, 30_000_000, null, 0.06, Confidence.LOW, "r"));

    /** Publishes one sample with these offenders and returns the scrape. */
    static String publishOffenders(PrometheusSink sink, List<Offender> offenders) {
        NodeObservation o = observation(T, T, new double[] {800});
        Detection d = Detector.evaluate(DetectorState.start(null), o, DetectorConfig.defaults());
        sink.publish(ProbeReport.of(o, d.assessment(), offenders));
        return sink.scrape();
    }

    @Test
    void exportsOnlyTheTopOffendersAndForgetsThoseThatLeave() {
        PrometheusSink sink = new PrometheusSink(2);
        String text = publishOffenders(sink, THREE_OFFENDERS);
        assertThat(text).contains("dentryguard_offender_kernel_memory_bytes{cgroup=\"kubepods/burstable/poda\",confidence=\"High\","
                + "kind=\"pod\",pod_uid=\"a\"} 5.0E8");
        assertThat(text).contains("dentryguard_offender_share_ratio{cgroup=\"kubepods/burstable/podb\",confidence=\"Low\",kind=\"pod\",pod_uid=\"b\"} 0.1");
        assertThat(text).doesNotContain("x.service");
        assertThat(publishOffenders(sink, List.of())).doesNotContain("dentryguard_offender_kernel_memory_bytes{");
    }

    @Test
    void promtoolAcceptsTheExpositionWithOffendersAndTheJvmMetrics() throws Exception {
        PrometheusSink sink = new PrometheusSink();
        publishTwo(sink);
        String text = publishOffenders(sink, THREE_OFFENDERS);
        assertThat(text).contains("dentryguard_offender_growth_bytes_per_second{", "dentryguard_canary_lookup_seconds_bucket{",
                "jvm_memory_used_bytes{", "process_cpu_seconds_total ");
        Promtool.assertClean(text);
    }

    @Test
    void servesMetricsOverHttp() throws Exception {
        PrometheusSink sink = new PrometheusSink();
        publishTwo(sink);
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, sink::scrape)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            assertThat(r.body()).contains("dentryguard_verdict{verdict=\"Degraded\"} 1.0");
        }
    }
}
