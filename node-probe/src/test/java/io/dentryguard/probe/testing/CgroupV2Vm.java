package io.dentryguard.probe.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real cgroup v2 kernel of {@code tools/cgroup-v2-vm}, booted under qemu: the guest runs a
 * share directory's {@code run.sh} as root and powers off, and its console is what a test reads.
 * Where qemu or the built image is missing, the calling test is skipped with the reason.
 */
public final class CgroupV2Vm {
    /** The scripts' directory; failsafe sets it, the default serves a run from the module directory. */
    private static final Path TOOLS = Path.of(System.getProperty("cgroup-v2-vm.tools", "../tools/cgroup-v2-vm"));

    private CgroupV2Vm() {}

    /** Skips the test, saying why, unless qemu and the image build.sh makes are here. */
    public static void assumeReady() throws IOException, InterruptedException {
        Path runner = TOOLS.resolve("run.sh");
        assumeTrue(Files.isExecutable(runner), "no " + runner);
        Process check = new ProcessBuilder(runner.toString(), "--check").redirectErrorStream(true).start();
        String why = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assumeTrue(check.waitFor() == 0, why + " (docs/remediation.md, Tested on a real cgroup v2 kernel)");
    }

    /** Boots the guest on {@code share} (which must hold run.sh) and returns its console lines once it has powered off. */
    public static List<String> run(Path share, Path console, Duration timeout) throws IOException, InterruptedException {
        Process vm = new ProcessBuilder(TOOLS.resolve("run.sh").toString(), share.toString())
                .redirectErrorStream(true).redirectOutput(console.toFile()).start();
        try {
            boolean poweredOff = vm.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
            assertThat(poweredOff).as(() -> "the guest powered off within " + timeout + "; its console so far:\n" + describe(console)).isTrue();
            assertThat(vm.exitValue()).as(() -> "qemu's exit status; console:\n" + describe(console)).isZero();
        } finally {
            vm.destroyForcibly();
        }
        // The serial console ends lines with CR LF.
        return Files.readAllLines(console, StandardCharsets.UTF_8).stream().map(l -> l.replace("\r", "")).toList();
    }

    /** The console's last lines, for a failure's message. */
    /** The console's end for a failure message, read only when the message is shown. */
    private static String describe(Path console) {
        try {
            return tail(console);
        } catch (IOException e) {
            return "(console unreadable: " + e + ")";
        }
    }

    public static String tail(Path console) throws IOException {
        List<String> lines = Files.readAllLines(console, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
