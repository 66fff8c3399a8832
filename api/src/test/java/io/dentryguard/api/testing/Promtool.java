package io.dentryguard.api.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus's own linter, {@code promtool check metrics}, for the tests of both {@code /metrics}
 * endpoints. promtool comes from Debian's {@code prometheus} package, which {@code .ci/run}
 * installs; where it is missing, the calling test is reported skipped with that reason.
 */
public final class Promtool {
    private Promtool() {}

    /** The promtool on PATH; skips the calling test when there is none. */
    public static Path assumeInstalled() {
        Optional<Path> found = Podman.onPath("promtool");
        Assumptions.assumeTrue(found.isPresent(),
                "promtool is not installed (Debian package prometheus; .ci/run installs it), so the exposition cannot be linted");
        return found.get();
    }

    /** What a promtool run printed (standard output and error together) and its exit code. */
    public record Run(int exitCode, String output) {}

    /**
     * Runs promtool with {@code args}, {@code input} on its standard input (null: none), and fails
     * the test if it has not ended within 60 s. Its output goes to a file, not a pipe, so that a
     * promtool that hangs fails the test instead of the build waiting on a read that never ends.
     */
    public static Run run(String input, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(assumeInstalled().toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("promtool", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                if (input != null) {
                    in.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            boolean ended = p.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
            }
            assertThat(ended).as("promtool " + String.join(" ", args) + " finished in 60 s").isTrue();
            return new Run(p.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * Asserts that {@code promtool check metrics}, given the exposition text on its standard input,
     * prints nothing and exits 0.
     */
    public static void assertClean(String exposition) throws IOException, InterruptedException {
        Run r = run(exposition, "check", "metrics");
        assertThat(r.output()).as("what promtool check metrics says").isEmpty();
        assertThat(r.exitCode()).as("promtool check metrics exit code").isZero();
    }
}
