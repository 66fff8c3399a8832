package io.dentryguard.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.probe.baseline.HeldBaseline;
import io.dentryguard.probe.baseline.NewestBaseline;
import io.dentryguard.probe.detector.DetectorConfig;
import io.dentryguard.probe.detector.LookupBaseline;
import io.dentryguard.probe.detector.offender.OffenderConfig;
import io.dentryguard.probe.exporter.ProbeReport;
import io.dentryguard.probe.exporter.ReportSink;
import io.dentryguard.probe.monitor.HashBuckets;
import io.dentryguard.probe.monitor.KernelRelease;
import io.dentryguard.probe.monitor.LookupCanary;
import io.dentryguard.probe.monitor.NodeMonitor;
import io.dentryguard.probe.monitor.ProcFiles;
import io.dentryguard.probe.monitor.Reading;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One probe's loop over a fake /proc of a quiet node, with a real canary: what it loads, saves and publishes. */
class ProbeLoopTest {
    private static final KernelRelease KERNEL = new KernelRelease("6.18.44", 6, 18);
    private static final LookupBaseline KEPT = LookupBaseline.first(4.0, 700, Instant.parse("2026-11-29T12:00:00Z"), "6.18.44");

    @TempDir
    Path dir;
    private LookupCanary canary;
    private final List<ProbeReport> published = new ArrayList<>();

    @BeforeEach
    void quietNode() throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc/sys/fs"));
        Files.writeString(proc.resolve("dentry-state"), "100000 50000 45 0 20000 0\n");
        canary = LookupCanary.prepare(dir.resolve("canary"), 20, Clock.systemUTC());
    }

    @AfterEach
    void closeCanary() throws Exception {
        canary.close();
    }

    private ProbeLoop loop(List<ReportSink> sinks, HeldBaseline... homes) {
        NodeMonitor monitors = new NodeMonitor(new ProcFiles(dir.resolve("proc")), "node-a", KERNEL,
                Reading.of(new HashBuckets(4_194_304, HashBuckets.Source.CONFIGURATION, "test")), Optional.of(canary), 1, 1,
                Clock.systemUTC());
        return ProbeLoop.start(monitors, DetectorConfig.defaults(), OffenderConfig.defaults(), sinks,
                new NewestBaseline(List.of(homes)));
    }

    @Test
    void resumesTheKeptBaselineAndHandsItToTheHomesThatLackedIt() {
        HeldBaseline file = new HeldBaseline("file", null);
        HeldBaseline status = new HeldBaseline("status", KEPT);
        ProbeLoop loop = loop(List.of(), file, status);
        assertThat(loop.state().baseline()).isEqualTo(KEPT);
        assertThat(file.saved).containsExactly(KEPT);
    }

    @Test
    void savesTheBaselineWhenItChangesAndPublishesEveryReportDespiteAFailingSink() {
        HeldBaseline file = new HeldBaseline("file", null);
        ReportSink broken = r -> {
            throw new IllegalStateException("disk full");
        };
        ProbeLoop loop = loop(List.of(broken, published::add), file);
        assertThat(file.saved).as("nothing to resume, nothing saved").isEmpty();

        for (int i = 0; i < 3; i++) {
            loop.step();
        }

        assertThat(published).hasSize(3).allSatisfy(r -> assertThat(r.verdict()).isEqualTo(Verdict.HEALTHY));
        assertThat(file.saved).as("a healthy canary run at each sample, each learned").hasSize(3);
        assertThat(file.saved.get(2)).isEqualTo(loop.state().baseline());
        assertThat(loop.state().baseline().samples()).isEqualTo(3);
        assertThat(published.get(2).lookup().baselineSamples()).isEqualTo(3);
    }

    @Test
    void runsTheSamplesItIsAskedForOnTheirGrid() throws Exception {
        ProbeLoop loop = loop(List.of(published::add));
        long started = System.nanoTime();
        loop.run(3, Duration.ofMillis(40));
        assertThat(published).hasSize(3);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("two intervals at least").isGreaterThanOrEqualTo(Duration.ofMillis(80));
    }

    @Test
    void aHomeThatCannotSaveStopsNeitherTheLoopNorTheOtherHomes() {
        HeldBaseline file = new HeldBaseline("file", null).failingWith("Read-only file system");
        HeldBaseline status = new HeldBaseline("status", null);
        ProbeLoop loop = loop(List.of(published::add), file, status);
        loop.step();
        loop.step();
        assertThat(published).hasSize(2);
        assertThat(status.saved).hasSize(2);
    }
}
