package io.dentryguard.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void helpIsPrintedWithoutPicocliWarnings() {
        // Help goes to System.out, and picocli's "[picocli WARN] Could not format" (a bare % in a
        // description, which picocli formats with String.format) to System.err: capture both.
        PrintStream systemOut = System.out;
        PrintStream systemErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream traced = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(traced, true, StandardCharsets.UTF_8));
            exit = OperatorMain.run(Map.of(), new PrintWriter(err, true), "--help");
        } finally {
            System.setOut(systemOut);
            System.setErr(systemErr);
        }
        assertThat(exit).isZero();
        assertThat(err + traced.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: operator").contains("--print-config");
    }
}
