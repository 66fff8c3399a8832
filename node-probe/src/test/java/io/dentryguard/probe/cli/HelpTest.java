package io.dentryguard.probe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code --help} as the user sees it. picocli formats descriptions with String.format, so a bare
 * {@code %} fails and picocli prints "[picocli WARN] Could not format ..." on System.err (its
 * tracer's stream, not the command's err writer), hence System.err is captured too.
 */
class HelpTest {
    record Help(int exit, String out, String err) {}

    static Help help(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream traced = new ByteArrayOutputStream();
        PrintStream systemErr = System.err;
        System.setErr(new PrintStream(traced, true, StandardCharsets.UTF_8));
        try {
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            int exit = cli.execute(args);
            return new Help(exit, out.toString(), err + traced.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(systemErr);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "probe", "reclaim", "flood"})
    void everyHelpIsPrintedWithoutPicocliWarnings(String command) {
        Help h = command.isEmpty() ? help("--help") : help(command, "--help");
        assertThat(h.exit()).isZero();
        assertThat(h.err()).isEmpty();
        assertThat(h.out()).startsWith("Usage: dentry-guard");
    }

    @Test
    void aPercentSignInADescriptionReadsAsOne() {
        assertThat(help("probe", "--help").out().replaceAll("\\s+", " "))
                .contains("With --report-node-health: write at least this often, less up to 10% at random (default: 5m).");
    }
}
