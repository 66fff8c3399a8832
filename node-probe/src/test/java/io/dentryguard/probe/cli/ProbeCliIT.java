package io.dentryguard.probe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dentryguard.api.testing.LogLines;
import io.dentryguard.api.testing.Promtool;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.probe.detector.DetectorConfig;
import io.dentryguard.probe.detector.offender.OffenderConfig;
import io.dentryguard.probe.monitor.DentrySlab;
import io.dentryguard.probe.monitor.DentryState;
import io.dentryguard.probe.monitor.HashBuckets;
import io.dentryguard.probe.monitor.KernelRelease;
import io.dentryguard.probe.monitor.MemInfo;
import io.dentryguard.probe.monitor.ProcFiles;
import io.dentryguard.probe.testing.RealKernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CLI end to end: the packaged jar run as a process, its output checked against /proc. */
class ProbeCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The verdicts of a node the probe could measure. */
    private static final List<String> MEASURED = Stream.of(Verdict.values()).filter(v -> v != Verdict.UNKNOWN)
            .map(Verdict::displayName).toList();
    private static final Pattern VERDICT_AT_ONE = Pattern.compile("(?m)^dentryguard_verdict\\{verdict=\"(\\w+)\"} 1\\.0$");
    private final ProcFiles proc = RealKernel.PROC;

    @TempDir
    Path tmp;

    private DentryState dentries() throws Exception {
        return DentryState.parse(proc.read(DentryState.SOURCE), KernelRelease.parse(proc.read(KernelRelease.SOURCE)));
    }

    /** Allocated dentry objects, or null where /proc/slabinfo is root-only and this is not root. */
    private Long slabObjects() throws Exception {
        return RealKernel.slabinfoReadable() ? DentrySlab.parse(proc.read(DentrySlab.SOURCE)).objects() : null;
    }

    /** A figure of the probe's, read between two of the test's own readings of the same file. */
    private static void assertBetween(JsonNode figure, Long before, Long after, String what) {
        if (before == null) {
            assertThat(figure.isNull()).as("%s: unknown here, so null, not %s", what, figure).isTrue();
            return;
        }
        assertThat(figure.isIntegralNumber()).as(what).isTrue();
        // 1% either way, and at least 1,000: a host whose caches were just emptied (the node rung's test drops
        // them) holds a few thousand dentries, and a few hundred come and go within the probe's run.
        long low = Math.min(before, after);
        long high = Math.max(before, after);
        assertThat(figure.asLong()).as(what)
                .isBetween(low - Math.max(1_000, Math.round(low * 0.01)), high + Math.max(1_000, Math.round(high * 0.01)));
    }

    /**
     * Every figure against what this host says at the same time: /proc read before and after, the
     * hash table as this host's dmesg shows it (else the sizing rule, as the probe does), and the
     * verdict and offenders that those figures call for, whatever state this node is in.
     */
    @Test
    void onceJsonAgreesWithProcReadAtTheSameTime() throws Exception {
        RealKernel.assumeLinux();
        DentryState before = dentries();
        Long slabBefore = slabObjects();
        MemInfo memBefore = MemInfo.parse(proc.read(MemInfo.SOURCE));
        OptionalLong bootLine = RealKernel.dentryHashEntriesInDmesg();
        ProbeProcess.Outcome r = ProbeProcess.run(60, "probe", "--once", "--json", "--no-state",
                "--canary-dir", tmp.resolve("canary").toString());
        DentryState after = dentries();
        Long slabAfter = slabObjects();
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout().lines()).hasSize(1);
        JsonNode j = JSON.readTree(r.stdout());

        for (String field : List.of("node", "timestamp", "kernel", "dentries", "slab", "hashBuckets", "hashBucketsSource",
                "chainLength", "lookup", "verdict", "reasons", "offenders")) {
            assertThat(j.has(field)).as("field %s", field).isTrue();
        }
        for (String field : List.of("total", "unused", "negative")) {
            assertThat(j.path("dentries").has(field)).as("dentries.%s", field).isTrue();
        }
        for (String field : List.of("nsPerLookup", "baselineNsPerLookup", "ratio")) {
            assertThat(j.path("lookup").has(field)).as("lookup.%s", field).isTrue();
        }
        assertThat(j.path("slab").has("dentryObjects")).isTrue();
        assertThat(j.path("slab").has("dentryBytes")).isTrue();

        long total = j.path("dentries").path("total").asLong();
        assertBetween(j.path("dentries").path("total"), before.total(), after.total(), "dentries.total");
        assertBetween(j.path("dentries").path("negative"), before.negative(), after.negative(), "dentries.negative");
        assertBetween(j.path("slab").path("dentryObjects"), slabBefore, slabAfter, "slab.dentryObjects");
        assertThat(j.path("memory").path("totalBytes").asLong()).isEqualTo(memBefore.totalBytes());

        long buckets = bootLine.isPresent() ? bootLine.getAsLong() : RealKernel.sizingRule();
        HashBuckets.Source source = bootLine.isPresent() ? HashBuckets.Source.KERNEL_LOG : HashBuckets.Source.SIZING_RULE;
        assertThat(j.path("hashBuckets").asLong()).isEqualTo(buckets);
        assertThat(j.path("hashBucketsSource").asText()).isEqualTo(source.jsonName());
        double chain = j.path("chainLength").asDouble();
        assertThat(chain).isCloseTo(total / (double) buckets, org.assertj.core.data.Offset.offset(1e-9));

        // --once judges its one sample alone; without a baseline (--no-state) and without a previous
        // sample for growth, the chain length alone sets the verdict, and the first reason says so.
        Verdict expected = DetectorConfig.defaults().chainLength().levelOf(chain);
        assertThat(j.path("verdict").asText()).as("verdict for chains of %s", chain).isEqualTo(expected.displayName());
        assertThat(j.path("reasons").path(0).asText()).contains(expected == Verdict.HEALTHY
                ? "all indicators below thresholds" : "at or above the " + expected.displayName() + " threshold");

        // A busy node may have suspects; below the floor of negatives' memory nobody is named.
        OffenderConfig blame = OffenderConfig.defaults();
        JsonNode offenders = j.path("offenders");
        assertThat(offenders.isArray()).isTrue();
        assertThat(offenders.size()).isLessThanOrEqualTo(blame.topK());
        assertThat(offenders).allSatisfy(o -> {
            assertThat(o.path("share").asDouble()).isBetween(blame.minimumShare(), 1.0);
            assertThat(o.path("confidence").asText()).isIn("High", "Medium", "Low");
        });
        JsonNode negative = j.path("dentries").path("negative");
        if (negative.isNull() || negative.asLong() * blame.bytesPerDentry() < blame.minimumBytes()) {
            assertThat(offenders).as("nobody is named for %s negative dentries", negative).isEmpty();
        }
        assertThat(j.path("lookup").path("nsPerLookup").asDouble()).isPositive();
        assertThat(j.path("lookup").path("ratio").isNull()).as("no baseline yet, so no ratio").isTrue();
        assertThat(j.path("kernel").asText()).isEqualTo(proc.read(KernelRelease.SOURCE).strip());
    }

    @Test
    void samplesPrintsOneJsonLinePerSampleAndKeepsTheBaseline() throws Exception {
        RealKernel.assumeLinux();
        Path state = tmp.resolve("state");
        ProbeProcess.Outcome r = ProbeProcess.run(60, "probe", "--json", "--samples", "4", "--interval", "100ms",
                "--canary-every", "1", "--state-dir", state.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        List<JsonNode> samples = r.jsonLines();
        assertThat(samples).hasSize(4);
        QuietNode.assumeQuiet(samples);
        JsonNode last = samples.get(3);
        assertThat(last.path("lookup").path("baselineSamples").asInt()).as("every healthy run is learned").isEqualTo(4);
        assertThat(last.path("lookup").path("ratio").isNumber()).as("baseline ready after 3 healthy runs").isTrue();
        assertThat(last.path("dentries").path("negativeGrowthPerSecond").isNumber()).as("a rate where the kernel counts negatives")
                .isEqualTo(RealKernel.countsNegatives());
        assertThat(state.resolve("baseline.json")).exists();

        // Run in a zone far from UTC: the log lines still carry UTC timestamps (docs/operator.md, Logs).
        ProbeProcess.Outcome again = ProbeProcess.run(ProbeProcess.command("probe", "--once", "--json", "--state-dir", state.toString()),
                Map.of("TZ", LogLines.FAR_FROM_UTC), 60);
        JsonNode resumed = JSON.readTree(again.stdout());
        QuietNode.assumeQuiet(List.of(resumed));
        assertThat(resumed.path("lookup").path("baselineSamples").asInt()).isEqualTo(5);
        assertThat(resumed.path("lookup").path("ratio").isNumber()).isTrue();
        assertThat(again.stderr()).contains("resumed lookup baseline of 4 samples");
        assertThat(again.stderr().lines()).isNotEmpty().allSatisfy(l -> assertThat(l).matches(LogLines.UTC_LINE));
    }

    @Test
    void theTableIsReadable() throws Exception {
        RealKernel.assumeLinux();
        ProbeProcess.Outcome r = ProbeProcess.run(60, "probe", "--samples", "2", "--interval", "100ms", "--no-state",
                "--canary-dir", tmp.resolve("canary").toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines.get(0)).startsWith("TIME").contains("VERDICT", "NEGATIVE", "CHAIN", "NS/LOOKUP");
        String verdict = lines.get(1).split("\\s+")[1];
        assertThat(verdict).as(lines.get(1)).isIn(MEASURED);
        assertThat(lines.get(2)).as("the first row's verdict, explained").startsWith("  " + verdict + ": ");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "2|probe --bogus|Unknown option: '--bogus'",
        "2|probe --interval soon|'soon' is not a duration",
        "2|probe --heartbeat PT5M|'PT5M' is not a duration (like 90s, 5m, 1h30m)",
        "2|probe --once --samples 3|--once and --samples exclude each other",
        "2|probe --metrics-port 70000|--metrics-port must be within 0..65535",
        "2||missing command: probe, reclaim or flood",
        "1|probe --once --proc /nonexistent|/proc/sys/kernel/osrelease: does not exist",
        "1|probe --once --no-state --config /nonexistent.properties|config /nonexistent.properties: cannot be read",
    })
    void badInputIsOneLineAndANonZeroExit(int exit, String args, String message) throws Exception {
        if (exit != 2) {
            RealKernel.assumeLinux(); // past the usage checks, the probe refuses to start anywhere but on Linux
        }
        String[] argv = args == null ? new String[0] : args.split(" ");
        ProbeProcess.Outcome r = ProbeProcess.run(60, argv);
        assertThat(r.exitCode()).isEqualTo(exit);
        assertThat(r.stderr().lines()).hasSize(1);
        assertThat(r.stderr()).startsWith("dentry-guard: ").contains(message).doesNotContain("Exception", "\tat ");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void aBadConfigValueNamesTheKey() throws Exception {
        RealKernel.assumeLinux();
        Path config = Files.writeString(tmp.resolve("probe.properties"), "raiseAfter=often\n");
        ProbeProcess.Outcome r = ProbeProcess.run(60, "probe", "--once", "--no-state", "--config", config.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr().strip()).isEqualTo("dentry-guard: config " + config + ": key raiseAfter: 'often' is not a whole number");
    }

    @Test
    void aForeignCanaryDirectoryIsRefusedNotEmptied() throws Exception {
        RealKernel.assumeLinux();
        Path foreign = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(foreign.resolve("keep.txt"), "x");
        ProbeProcess.Outcome r = ProbeProcess.run(60, "probe", "--once", "--no-state", "--canary-dir", foreign.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr().lines()).hasSize(1);
        assertThat(r.stderr()).contains("was not made by dentry-guard", "--canary-dir");
        assertThat(foreign.resolve("keep.txt")).exists();
    }

    @Test
    void servesMetricsWhileItRuns() throws Exception {
        RealKernel.assumeLinux();
        try (ProbeProcess.Serving probe = ProbeProcess.Serving.start(tmp)) {
            String body = probe.scrape(b -> VERDICT_AT_ONE.matcher(b).find());
            assertThat(body).contains("dentryguard_samples_total", "dentryguard_canary_lookup_seconds_bucket{le=\"1.0E-6\"}");
            assertThat(body.lines().filter(l -> l.startsWith("dentryguard_verdict{"))).hasSize(Verdict.values().length);
            assertThat(VERDICT_AT_ONE.matcher(body).results().map(m -> m.group(1))).as("one verdict at a time, of a measured node")
                    .singleElement().isIn(MEASURED);
        }
    }

    @Test
    void itsMetricsPassPromtoolAndIncludeTheProcessMetrics() throws Exception {
        RealKernel.assumeLinux();
        Promtool.assumeInstalled();
        try (ProbeProcess.Serving probe = ProbeProcess.Serving.start(tmp)) {
            String body = probe.scrape(b -> b.matches("(?s).*dentryguard_samples_total [1-9].*")); // a sample taken
            Promtool.assertClean(body);
            assertThat(body).contains("jvm_memory_used_bytes{", "process_cpu_seconds_total ", "process_resident_memory_bytes ",
                    "jvm_available_processors ", "process_uptime_seconds ", "process_start_time_seconds ", "process_files_open_files ");
            assertThat(body).as("micrometer's heavier JVM binders are the operator's, not the probe's")
                    .doesNotContain("jvm_threads_states_threads", "jvm_gc_", "jvm_classes_loaded_classes");
        }
    }

    @Test
    void theReadmeCommandRunsTheProbe() throws Exception {
        RealKernel.assumeLinux();
        Path launcher = Path.of("..", "dentry-guard").toAbsolutePath().normalize();
        ProbeProcess.Outcome r = ProbeProcess.run(List.of(launcher.toString(), "probe", "--once", "--json", "--no-state",
                "--canary-dir", tmp.resolve("canary").toString()), 120);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(JSON.readTree(r.stdout()).path("verdict").asText()).isIn(MEASURED);
    }
}
