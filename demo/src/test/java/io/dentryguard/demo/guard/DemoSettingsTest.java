package io.dentryguard.demo.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dentryguard.probe.config.DetectorConfigFile;
import io.dentryguard.probe.detector.DetectorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DemoSettingsTest {
    /** This machine: 4,194,304 buckets, 2 GiB of 192-byte dentries = 11,184,810, 2 dentries per name through overlayfs. */
    private static final DemoSettings TWO_GIB = new DemoSettings(4_194_304, 100_000, 11_184_810, 2.0);

    @Test
    void thresholdsSitAtTheirShareOfTheLimitAboveTheBaselineAndRise() {
        assertThat(TWO_GIB.warningChain()).isEqualTo(0.424); // (100,000 + 1,677,722) / 4,194,304 = 0.4238, rounded up
        assertThat(TWO_GIB.degradedChain()).isEqualTo(1.358); // (100,000 + 5,592,405) / 4,194,304 = 1.3572
        assertThat(TWO_GIB.criticalChain()).isGreaterThan(TWO_GIB.degradedChain()).isLessThan(11_284_810 / 4_194_304.0);
        assertThat(TWO_GIB.degradedExtraDentries()).isEqualTo(5_592_405);
    }

    @Test
    void thePacedFloodReachesItsLimitInFiftySecondsAndDegradedWellWithinTheWaitAfterAReclaim() {
        assertThat(TWO_GIB.floodNamesPerSecond()).isEqualTo(111_848); // 11,184,810 / 2 / 50
        double secondsToDegraded = TWO_GIB.degradedExtraDentries() / (TWO_GIB.floodNamesPerSecond() * 2.0);
        // After a reclaim the probe needs two 2 s samples to raise Degraded again: the wait leaves room for both.
        assertThat(TWO_GIB.verifyAfter()).isEqualTo(Duration.ofSeconds(35))
                .isGreaterThan(Duration.ofMillis(Math.round((secondsToDegraded + 2 * DemoSettings.PROBE_INTERVAL.toSeconds()) * 1000)));
        // ... and short enough that the flood is reclaimed before it reaches its limit (it makes 70% of it in that time).
        assertThat(TWO_GIB.verifyAfter().toSeconds()).isLessThan(DemoSettings.FLOOD_SECONDS_TO_LIMIT);
    }

    @Test
    void theProbesConfigHoldsTheScaledThresholds() {
        assertThat(TWO_GIB.probeConfig()).contains("chainLength.warning=0.424", "chainLength.degraded=1.358")
                .containsPattern("chainLength.critical=\\d\\.\\d{3}");
    }

    @ParameterizedTest(name = "limit {0} dentries above a baseline of {1}")
    @CsvSource({"349525, 0", "349525, 10000000", "11184810, 5000", "11184810, 3000000", "22369621, 100000", "100, 4194304"})
    void theProbeAcceptsTheConfigItIsGiven(long limitDentries, long baseline, @TempDir Path dir) throws Exception {
        DemoSettings settings = new DemoSettings(4_194_304, baseline, limitDentries, 2.0);
        Path file = Files.writeString(dir.resolve("probe.properties"), settings.probeConfig());

        DetectorConfig config = DetectorConfigFile.load(file);

        assertThat(config.chainLength().degraded()).isEqualTo(settings.degradedChain());
        assertThat(config.baselineMaxChainLength()).isPositive().isLessThan(config.chainLength().warning());
    }

    @Test
    void theOperatorRunsEveryRungFromDegradedWithShortWaits() {
        assertThat(TWO_GIB.operatorConfig("default")).contains("remediation.reclaim-pods=true", "remediation.evict=true",
                "remediation.reclaim-node=true", "remediation.reclaim-from=Degraded", "remediation.verify-after=35s", "remediation.escalate-after=110s", "hold-down=15s",
                "event-namespace=default", "leader-election=false");
    }

    @Test
    void theProbeReportsReclaimsAndSamplesEveryTwoSeconds() {
        assertThat(TWO_GIB.probeArguments("host", "/c", "/s")).containsSequence("--node", "host").containsSequence("--config", "/c")
                .containsSequence("--interval", "2s").contains("--report-node-health", "--reclaim-pods", "--reclaim-node", "--no-canary");
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> new DemoSettings(0, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DemoSettings(1, -1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DemoSettings(1, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DemoSettings(1, 0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
