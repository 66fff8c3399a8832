package io.dentryguard.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.operator.config.SettingsLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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

    /** What a run printed: help goes to System.out, and picocli's own warnings to System.err. */
    private record Printed(int exit, String out, String err) {}

    private static Printed run(Map<String, String> env, String... args) {
        PrintStream systemOut = System.out;
        PrintStream systemErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream traced = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(traced, true, StandardCharsets.UTF_8));
            int exit = OperatorMain.run(env, new PrintWriter(err, true), args);
            return new Printed(exit, out.toString(StandardCharsets.UTF_8), err + traced.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(systemOut);
            System.setErr(systemErr);
        }
    }

    @Test
    void helpIsPrintedWithoutPicocliWarnings() {
        // A bare % in a description (picocli formats them with String.format) prints "[picocli WARN] Could not format".
        Printed help = run(Map.of(), "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.err()).isEmpty();
        assertThat(help.out()).startsWith("Usage: operator").contains("--print-config");
    }

    @Test
    void everySettingHasAFlagThatWinsOverItsVariable() {
        Printed config = run(Map.of("DENTRYGUARD_METRICS_PORT", "9000"), "--print-config", "--metrics-port", "9001", "--dry-run",
                "--taint-critical", "NoExecute");
        assertThat(config.exit()).as(config.err()).isZero();
        assertThat(config.out()).contains("metrics-port=9001    # flag --metrics-port", "dry-run=true    # flag --dry-run",
                "taint.critical=NoExecute    # flag --taint-critical");
        String help = run(Map.of(), "--help").out();
        for (String key : SettingsLoader.keys()) {
            assertThat(help).contains(SettingsLoader.flagName(key), SettingsLoader.envName(key));
        }
    }
}
