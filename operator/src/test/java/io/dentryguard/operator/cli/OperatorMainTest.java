package io.dentryguard.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.operator.config.SettingsLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorMainTest {
    @Test
    void aBadSettingStopsStartUpWithOneLineAndExitCode1() {
        StringWriter err = new StringWriter();
        int exit = OperatorMain.run(Map.of("DENTRYGUARD_MAX_TAINTED_FRACTION", "1.5"), new PrintWriter(err, true), "--print-config");
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("dentry-guard operator: environment DENTRYGUARD_MAX_TAINTED_FRACTION: "
                + "max-tainted-fraction='1.5' must be a fraction from 0 to 1 (0.2 is 20% of the nodes)" + System.lineSeparator());
    }

    @Test
    void anUnknownOptionIsExitCode2() {
        StringWriter err = new StringWriter();
        assertThat(OperatorMain.run(Map.of(), new PrintWriter(err, true), "--dryrun")).isEqualTo(2);
        assertThat(err.toString()).startsWith("dentry-guard operator: Unknown option: '--dryrun'");
    }

    /** What {@code args} print on standard output, where --print-config and --help write. */
    private static String stdout(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            StringWriter err = new StringWriter();
            assertThat(OperatorMain.run(env, new PrintWriter(err, true), args)).as(err.toString()).isZero();
        } finally {
            System.setOut(stdout);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everySettingHasAFlagThatWinsOverItsVariable() {
        assertThat(stdout(Map.of("DENTRYGUARD_METRICS_PORT", "9000"), "--print-config", "--metrics-port", "9001", "--dry-run",
                "--taint-critical", "NoExecute")).contains("metrics-port=9001    # flag --metrics-port",
                "dry-run=true    # flag --dry-run", "taint.critical=NoExecute    # flag --taint-critical");
        String help = stdout(Map.of(), "--help");
        for (String key : SettingsLoader.keys()) {
            assertThat(help).contains(SettingsLoader.flagName(key), SettingsLoader.envName(key));
        }
    }
}
