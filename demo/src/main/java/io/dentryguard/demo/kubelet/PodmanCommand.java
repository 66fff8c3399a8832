package io.dentryguard.demo.kubelet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The podman command with the project's settings (a containers.conf of its own, so nothing in /etc
 * is changed: runc, which copes with hybrid cgroups, and no default ulimits, which need
 * CAP_SYS_RESOURCE).
 */
final class PodmanCommand {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final Path podman;
    private final Path containersConf;

    PodmanCommand(Path podman, Path containersConf) {
        this.podman = podman;
        this.containersConf = containersConf;
    }

    /** What a run printed (standard output and error together) and its exit code. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs podman to its end; never fails on the exit code. */
    Result run(List<String> args) {
        try {
            Path out = Files.createTempFile("podman", ".out");
            try {
                Process p = builder(args).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    throw new PodmanException(args, -1, "did not end in " + TIMEOUT + ": " + Files.readString(out));
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running podman " + String.join(" ", args), e);
        }
    }

    /** Runs podman and returns what it printed; throws, with that output, if it fails. */
    String require(List<String> args) {
        Result r = run(args);
        if (!r.ok()) {
            throw new PodmanException(args, r.exitCode(), r.output());
        }
        return r.output();
    }

    /** A process builder for a long-running podman command (e.g. {@code logs --follow}). */
    ProcessBuilder builder(List<String> args) {
        List<String> command = new ArrayList<>(List.of(podman.toString()));
        command.addAll(args);
        ProcessBuilder b = new ProcessBuilder(command);
        b.environment().put("CONTAINERS_CONF", containersConf.toString());
        return b;
    }

    /** A podman command that failed, with what podman printed. */
    static final class PodmanException extends RuntimeException {
        PodmanException(List<String> args, int exitCode, String output) {
            super("podman " + String.join(" ", args) + " exited " + exitCode + ": " + output.strip());
        }
    }
}
