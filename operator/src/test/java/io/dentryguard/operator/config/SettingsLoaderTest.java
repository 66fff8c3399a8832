package io.dentryguard.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.decide.Policy;
import io.dentryguard.operator.decide.remediation.LadderTimings;
import io.dentryguard.operator.decide.remediation.RemediationPolicy;
import io.dentryguard.operator.decide.TaintEffect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsLoaderTest {
    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path f = dir.resolve("operator.properties");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void withNothingGivenTheDefaultsAreTheDocumentedPolicy() {
        OperatorSettings s = SettingsLoader.load(Optional.empty(), Map.of("PATH", "/usr/bin"), Map.of());
        assertThat(s.policy()).isEqualTo(Policy.defaults());
        assertThat(s.resync()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.eventNamespace()).isEqualTo("default");
        assertThat(s.leaderElection()).isEqualTo(OperatorSettings.LeaderElection.AUTO);
        assertThat(s.leaseName()).isEqualTo("dentry-guard-operator");
        assertThat(s.leaseNamespace()).isEmpty();
        assertThat(s.metricsPort()).isEqualTo(8080);
        // The records' defaults() are what the tests of the pure parts use: they must be what users get.
        assertThat(s.remediation()).isEqualTo(RemediationPolicy.defaults());
        assertThat(s.ladder()).isEqualTo(LadderTimings.defaults());
    }

    @Test
    void theFileSetsAndTheEnvironmentWins() throws IOException {
        Path f = file("""
                dry-run=true
                taint.warning=PreferNoSchedule
                taint.critical=NoExecute
                hold-down=1h30m
                stale-taint=remove
                max-tainted-fraction=0.1
                min-tainted-nodes=2
                lease-namespace=dentry-guard
                """);
        OperatorSettings s = SettingsLoader.load(Optional.of(f), Map.of("DENTRYGUARD_DRY_RUN", "false",
                "DENTRYGUARD_TAINT_DEGRADED", "none", "DENTRYGUARD_RESYNC", "30s"), Map.of());
        Policy p = s.policy();
        assertThat(p.dryRun()).as("the environment wins over the file").isFalse();
        assertThat(p.taintFrom()).isEqualTo(Map.of(Verdict.WARNING, TaintEffect.PREFER_NO_SCHEDULE,
                Verdict.CRITICAL, TaintEffect.NO_EXECUTE));
        assertThat(p.holdDown()).isEqualTo(Duration.ofMinutes(90));
        assertThat(p.removeTaintWhenStale()).isTrue();
        assertThat(p.taintCeiling(10)).isEqualTo(2);
        assertThat(p.taintCeiling(100)).isEqualTo(10);
        assertThat(s.resync()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.leaseNamespace()).contains("dentry-guard");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            hold-down              | 5x       | is not a duration (like 90s, 5m, 1h30m)
            hold-down              | PT5M     | is not a duration (like 90s, 5m, 1h30m)
            resync                 | 99999999999999999999s | is not a duration (like 90s, 5m, 1h30m)
            heartbeat              | 0s       | must be longer than zero
            resync                 | -1m      | is not a duration (like 90s, 5m, 1h30m)
            stale-after-heartbeats | 0        | must be at least 1
            stale-after-heartbeats | three    | is not a whole number
            max-tainted-fraction   | 20       | must be a fraction from 0 to 1 (0.2 is 20% of the nodes)
            max-tainted-fraction   | NaN      | must be a fraction from 0 to 1 (0.2 is 20% of the nodes)
            min-tainted-nodes      | -1       | must be at least 0
            taint.degraded         | NoWay    | is not a taint effect (none, NoSchedule, PreferNoSchedule, NoExecute)
            dry-run                | yes      | must be one of true, false
            stale-taint            | drop     | must be one of keep, remove
            leader-election        | maybe    | must be one of auto, true, false
            lease-name             | My_Lease | is not a valid Kubernetes name (lower-case letters, digits and '-')
            event-namespace        | ''       | must not be empty
            metrics-port           | 70000    | must be a port number from 0 to 65535
            """)
    void aBadValueIsOneLineNamingTheKeyAndWhereItCameFrom(String key, String value, String what) {
        String env = SettingsLoader.envName(key);
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of(env, value), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("environment " + env + ": " + key + "='" + value + "' " + what);
    }

    @Test
    void aBadValueInTheFileNamesTheFile() throws IOException {
        Path f = file("hold-down=soon\n");
        assertThatThrownBy(() -> SettingsLoader.load(Optional.of(f), Map.of(), Map.of()))
                .hasMessage("config " + f + ": hold-down='soon' is not a duration (like 90s, 5m, 1h30m)");
    }

    @Test
    void unknownKeysAndVariablesAreRefusedNotIgnored() throws IOException {
        Path f = file("holddown=5m\n");
        assertThatThrownBy(() -> SettingsLoader.load(Optional.of(f), Map.of(), Map.of()))
                .hasMessageStartingWith("config " + f + ": unknown key 'holddown' (known: dry-run, taint.warning,");
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("DENTRYGUARD_DRYRUN", "true"), Map.of()))
                .hasMessageStartingWith("environment: unknown variable DENTRYGUARD_DRYRUN (known: DENTRYGUARD_DRY_RUN,");
    }

    @Test
    void describeSaysWhereEachValueCameFrom() throws IOException {
        Path f = file("hold-down=10m\n");
        assertThat(SettingsLoader.describe(Optional.of(f), Map.of("DENTRYGUARD_DRY_RUN", "true"), Map.of()))
                .contains("dry-run=true    # environment DENTRYGUARD_DRY_RUN", "hold-down=10m    # config " + f,
                        "heartbeat=5m    # default")
                .hasSize(SettingsLoader.keys().size());
    }

    @Test
    void aMissingFileIsNamed() {
        Path f = dir.resolve("absent.properties");
        assertThatThrownBy(() -> SettingsLoader.load(Optional.of(f), Map.of(), Map.of()))
                .hasMessageStartingWith("config " + f + ": cannot be read: ");
    }

    @Test
    void flagsWinOverTheEnvironmentAndSayWhereTheyCameFrom() {
        OperatorSettings s = SettingsLoader.load(Optional.empty(), Map.of("DENTRYGUARD_METRICS_PORT", "9000"),
                Map.of("metrics-port", "9001", "taint.critical", "NoExecute"));
        assertThat(s.metricsPort()).isEqualTo(9001);
        assertThat(s.policy().taintFrom()).containsEntry(io.dentryguard.api.v1alpha1.Verdict.CRITICAL,
                io.dentryguard.operator.decide.TaintEffect.NO_EXECUTE);
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of(), Map.of("metrics-port", "http")))
                .hasMessage("flag --metrics-port: metrics-port='http' is not a whole number");
        assertThat(SettingsLoader.flagName("taint.critical")).isEqualTo("--taint-critical");
    }
}
