package io.dentryguard.probe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --interval and --heartbeat read durations as the operator's settings do (docs/probe.md, Command-line reference). */
class DurationFlagsTest {
    @Test
    void kubernetesStyleDurationsAreRead() {
        var probe = Main.commandLine().parseArgs("probe", "--interval", "1m30s", "--heartbeat", "1h").subcommand();
        assertThat(probe.matchedOptionValue("--interval", Duration.ZERO)).isEqualTo(Duration.ofSeconds(90));
        assertThat(probe.matchedOptionValue("--heartbeat", Duration.ZERO)).isEqualTo(Duration.ofHours(1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "PT5S|'PT5S' is not a duration (like 90s, 5m, 1h30m)",
        "5|'5' is not a duration (like 90s, 5m, 1h30m)",
        "0s|'0s' must be longer than zero",
    })
    void anythingElseIsOneLineAndAUsageError(String value, String message) {
        HelpTest.Help h = HelpTest.help("probe", "--interval", value);
        assertThat(h.exit()).isEqualTo(2);
        assertThat(h.err().strip()).isEqualTo("dentry-guard: Invalid value for option '--interval': " + message + " (see --help)");
    }
}
