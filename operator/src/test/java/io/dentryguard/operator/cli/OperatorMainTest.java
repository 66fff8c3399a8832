package io.dentryguard.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
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
}
