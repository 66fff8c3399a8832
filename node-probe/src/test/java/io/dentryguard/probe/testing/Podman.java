package io.dentryguard.probe.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dentryguard.api.testing.RealApiServer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The podman command with the project's settings ({@code tools/images/containers.conf}, nothing in
 * /etc changed), and the containers and images a test makes with it: {@link #close} removes them,
 * also when the test fails. Images start from {@link #BASE_IMAGE}, which
 * {@code tools/images/build-base.sh} builds from Debian packages.
 */
public final class Podman implements AutoCloseable {
    public static final String BASE_IMAGE = "localhost/jre-base:17";
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);

    /** What a podman command printed (standard output and error together) and its exit code. */
    public record Run(int exitCode, String output) {}

    private final Path podman;
    private final Path containersConf;
    private final List<String> containers = new ArrayList<>();
    private final List<String> images = new ArrayList<>();

    private Podman(Path podman, Path containersConf) {
        this.podman = podman;
        this.containersConf = containersConf;
    }

    /** Skips the test, saying why, unless podman is installed and the base image is built. */
    public static Podman create() {
        RealKernel.assumeRootOnLinux();
        Optional<Path> podman = onPath("podman");
        assumeTrue(podman.isPresent(), "needs podman (apt-get install podman runc mmdebstrap uidmap; .ci/run installs them)");
        Podman p = new Podman(podman.get(), RealApiServer.checkoutRoot().resolve("tools/images/containers.conf"));
        assumeTrue(p.run("image", "exists", BASE_IMAGE).exitCode() == 0,
                "needs the image " + BASE_IMAGE + ": build it with tools/images/build-base.sh (.ci/run does)");
        return p;
    }

    private static Optional<Path> onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, command)).filter(Files::isExecutable).findFirst();
    }

    /** Runs {@code podman args...} to its end and returns what it printed; never fails on the exit code. */
    public Run run(String... args) {
        return run(List.of(args));
    }

    public Run run(List<String> args) {
        List<String> command = new ArrayList<>(List.of(podman.toString()));
        command.addAll(args);
        try {
            Path out = Files.createTempFile("podman", ".out");
            try {
                ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
                b.environment().put("CONTAINERS_CONF", containersConf.toString());
                Process p = b.start();
                if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    throw new AssertionError(String.join(" ", command) + " did not end in " + COMMAND_TIMEOUT + ": "
                            + Files.readString(out, StandardCharsets.UTF_8));
                }
                return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code podman args...} and returns its output; fails the test, with the output, if podman does. */
    public String require(String... args) {
        return require(List.of(args));
    }

    public String require(List<String> args) {
        Run r = run(args);
        if (r.exitCode() != 0) {
            throw new AssertionError("podman " + String.join(" ", args) + " exited " + r.exitCode() + ": " + r.output());
        }
        return r.output();
    }

    /** Builds {@code containerfile} with the files of {@code context} under a new name, removed on close. */
    public String build(Path context, String containerfile, String name) throws IOException {
        Files.writeString(context.resolve("Containerfile"), containerfile);
        String image = "localhost/" + name + ":" + UUID.randomUUID().toString().substring(0, 8);
        images.add(image);
        require("build", "--quiet", "--tag", image, "--file", context.resolve("Containerfile").toString(), context.toString());
        return image;
    }

    /** A new container name with {@code prefix}, whose container is removed (with force) on close or {@link #removeContainers}. */
    public String containerName(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        containers.add(name);
        return name;
    }

    /** Removes the containers named so far, running or not; those that were never made are no error. */
    public void removeContainers() {
        for (String name : containers) {
            Run r = run("rm", "--force", "--ignore", "--time", "5", name);
            if (r.exitCode() != 0) {
                throw new AssertionError("podman rm " + name + " failed: " + r.output());
            }
        }
        containers.clear();
    }

    @Override
    public void close() {
        removeContainers();
        for (String image : images) {
            run("rmi", "--force", image);
        }
        images.clear();
    }
}
