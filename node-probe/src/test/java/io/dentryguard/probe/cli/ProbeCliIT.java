package io.dentryguard.probe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dentryguard.api.testing.LogLines;
import io.dentryguard.api.testing.Promtool;
import io.dentryguard.probe.monitor.DentryState;
import io.dentryguard.probe.monitor.KernelRelease;
import io.dentryguard.probe.monitor.MemInfo;
import io.dentryguard.probe.monitor.ProcFiles;
import io.dentryguard.probe.testing.RealKernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CLI end to end: the packaged jar run as a process, its output checked against /proc. */
class ProbeCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ProcFiles proc = new ProcFiles(Path.of("/proc"));

    @TempDir
    Path tmp;

    private DentryState dentries() throws Exception {
        return DentryState.parse(proc.read(DentryState.SOURCE), KernelRelease.parse(proc.read(KernelRelease.SOURCE)));
    }

    @Test
    void onceJsonAgreesWithProcReadAtTheSameTime() throws Exception {
        RealKernel.assumeRootOnLinux();
        DentryState before = dentries();
        MemInfo memBefore = MemInfo.parse(proc.read(MemInfo.SOURCE));
        ProbeProcess.Outcome r = ProbeProcess.run(60, "probe", "--once", "--json", "--no-state",
                "--canary-dir", tmp.resolve("canary").toString());
        DentryState after = dentries();
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
        long negative = j.path("dentries").path("negative").asLong();
        assertThat(total).isBetween(Math.round(Math.min(before.total(), after.total()) * 0.99),
                Math.round(Math.max(before.total(), after.total()) * 1.01));
        assertThat(negative).isBetween(Math.round(Math.min(before.negative(), after.negative()) * 0.99),
                Math.round(Math.max(before.negative(), after.negative()) * 1.01));
        assertThat(j.path("slab").path("dentryObjects").asLong()).isBetween(Math.round(total * 0.9), Math.round(total * 1.5));
        assertThat(j.path("memory").path("totalBytes").asLong()).isEqualTo(memBefore.totalBytes());
        assertThat(j.path("hashBuckets").asLong()).isEqualTo(4_194_304L);
        assertThat(j.path("hashBucketsSource").asText()).isEqualTo("kernelLog");
        assertThat(j.path("chainLength").asDouble()).isCloseTo(total / 4_194_304.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(j.path("verdict").asText()).isEqualTo("Healthy");
        assertThat(j.path("reasons").size()).isPositive();
        assertThat(j.path("offenders").isArray()).isTrue();
        assertThat(j.path("offenders").size()).isZero();
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
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).hasSize(4);
        JsonNode last = JSON.readTree(lines.get(3));
        assertThat(last.path("lookup").path("baselineSamples").asInt()).as("every healthy run is learned").isEqualTo(4);
        assertThat(last.path("lookup").path("ratio").isNumber()).as("baseline ready after 3 healthy runs").isTrue();
        assertThat(last.path("dentries").path("negativeGrowthPerSecond").isNumber()).as("a rate where the kernel counts negatives")
                .isEqualTo(RealKernel.countsNegatives());
        assertThat(state.resolve("baseline.json")).exists();

        // Run in a zone far from UTC: the log lines still carry UTC timestamps (docs/operator.md, Logs).
        ProbeProcess.Outcome again = ProbeProcess.run(ProbeProcess.command("probe", "--once", "--json", "--state-dir", state.toString()),
                Map.of("TZ", LogLines.FAR_FROM_UTC), 60);
        JsonNode resumed = JSON.readTree(again.stdout());
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
        assertThat(lines.get(1)).contains("Healthy");
        assertThat(lines.get(2)).startsWith("  Healthy: ");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "2|probe --bogus|Unknown option: '--bogus'",
        "2|probe --interval soon|'soon' is not a duration",
        "2|probe --heartbeat PT5M|'PT5M' is not a duration (like 90s, 5m, 1h30m)",
        "2|probe --once --samples 3|--once and --samples exclude each other",
        "2|probe --metrics-port 70000|--metrics-port must be within 0..65535",
        "2||missing command: probe or flood",
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
            String body = probe.scrape(b -> b.contains("dentryguard_verdict{verdict=\"Healthy\"} 1.0"));
            assertThat(body).contains("dentryguard_samples_total", "dentryguard_canary_lookup_seconds_bucket{le=\"1.0E-6\"}");
        }
    }

    @Test
    void itsMetricsPassPromtoolAndIncludeTheJvmAndProcessMetrics() throws Exception {
        RealKernel.assumeLinux();
        Promtool.assumeInstalled();
        try (ProbeProcess.Serving probe = ProbeProcess.Serving.start(tmp)) {
            String body = probe.scrape(b -> b.matches("(?s).*dentryguard_samples_total [1-9].*")); // a sample taken
            Promtool.assertClean(body);
            assertThat(body).contains("jvm_memory_used_bytes{", "jvm_threads_live_threads ", "jvm_classes_loaded_classes ",
                    "process_cpu_usage ", "process_cpu_seconds_total ", "jvm_available_processors ", "process_uptime_seconds ",
                    "process_files_open_files ");
        }
    }

    @Test
    void theReadmeCommandRunsTheProbe() throws Exception {
        RealKernel.assumeLinux();
        Path launcher = Path.of("..", "dentry-guard").toAbsolutePath().normalize();
        ProbeProcess.Outcome r = ProbeProcess.run(List.of(launcher.toString(), "probe", "--once", "--json", "--no-state",
                "--canary-dir", tmp.resolve("canary").toString()), 120);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(JSON.readTree(r.stdout()).path("verdict").asText()).isIn("Healthy", "Warning", "Degraded", "Critical");
    }
}
