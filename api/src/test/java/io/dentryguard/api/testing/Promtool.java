package io.dentryguard.api.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "promtool"))
                .filter(Files::isExecutable)
                .findFirst();
        Assumptions.assumeTrue(found.isPresent(),
                "promtool is not installed (Debian package prometheus; .ci/run installs it), so the exposition cannot be linted");
        return found.get();
    }

    /**
     * Asserts that {@code promtool check metrics}, given the exposition text on its standard input,
     * prints nothing and exits 0.
     */
    public static void assertClean(String exposition) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(assumeInstalled().toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool check metrics finished in 60 s").isTrue();
        assertThat(output).as("what promtool check metrics says").isEmpty();
        assertThat(p.exitValue()).as("promtool check metrics exit code").isZero();
    }
}
