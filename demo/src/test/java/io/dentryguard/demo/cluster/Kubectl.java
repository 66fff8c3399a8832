package io.dentryguard.demo.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's /usr/bin/kubectl run as a user would, against a kubeconfig, with its discovery cache kept apart. */
public record Kubectl(Path kubeconfig, Path cacheDir) {

    /** What a run printed (standard output and error together) and its exit code. */
    public record Run(int exitCode, String output) {
    }

    public Run run(String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/kubectl", "--kubeconfig", kubeconfig.toString(), "--cache-dir",
                cacheDir.toString(), "--request-timeout", "20s"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kubectl " + String.join(" ", args) + " did not end in 60 s: " + output);
            }
            return new Run(p.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
