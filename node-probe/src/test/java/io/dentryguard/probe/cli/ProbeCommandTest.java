package io.dentryguard.probe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.probe.monitor.MonitorSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** What the probe's options ask of its monitors. */
class ProbeCommandTest {
    private static MonitorSettings settings(String... args) {
        ProbeCommand probe = new ProbeCommand();
        new CommandLine(probe).registerConverter(java.time.Duration.class, DurationConverter::parse).parseArgs(args);
        return probe.monitorSettings();
    }

    @Test
    void byDefaultEveryMonitorRuns() {
        MonitorSettings s = settings();
        assertThat(s.procRoot()).isEqualTo(Path.of("/proc"));
        assertThat(s.canary()).contains(new MonitorSettings.Canary(Path.of("/var/lib/dentry-guard/canary"), 2000, 6, 2));
        assertThat(s.cgroups()).contains(new MonitorSettings.Cgroups(Path.of("/sys/fs/cgroup"), 6));
        assertThat(s.hashBuckets()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--no-offenders", "--no-attribution"})
    void offendersCanBeLeftUnnamedUnderEitherSpelling(String flag) {
        assertThat(settings(flag).cgroups()).isEmpty();
    }

    @Test
    void theFormerSpellingIsNotListed() {
        assertThat(HelpTest.help("probe", "--help").out()).contains("--no-offenders").doesNotContain("attribution");
    }

    @Test
    void theOptionsNameTheNodeTheCanaryAndTheHashTable() {
        MonitorSettings s = settings("--node", "node-a", "--no-canary", "--hash-buckets", "1048576", "--proc", "/host/proc");
        assertThat(s.node()).contains("node-a");
        assertThat(s.canary()).isEmpty();
        assertThat(s.hashBuckets()).hasValue(1_048_576);
        assertThat(s.procRoot()).isEqualTo(Path.of("/host/proc"));
    }
}
