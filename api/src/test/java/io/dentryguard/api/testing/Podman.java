package io.dentryguard.api.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The podman command with the project's settings ({@code tools/images/containers.conf}, nothing in
 * /etc changed), and the containers and images a test makes with it: {@link #close} removes them,
 * also when the test fails (never the product image, which is not the test's). Images start from
 * {@link #BASE_IMAGE}, which {@code tools/images/build-base.sh} builds from Debian packages; the
 * product image ({@link #productImage}) is what {@code tools/images/build.sh} builds. One class for
 * every module's container tests (the api module's test jar).
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

    /** Skips the test, saying why, unless it runs as root on Linux with podman installed. */
    public static Podman create() {
        assumeTrue(System.getProperty("os.name").equals("Linux"), "needs Linux for containers, this is " + System.getProperty("os.name"));
        assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root: the project's podman runs as root here (cgroup v1 pod cgroups, host /proc); CI runs as root");
        Optional<Path> podman = onPath("podman");
        assumeTrue(podman.isPresent(), "needs podman (apt-get install podman runc mmdebstrap uidmap; .ci/run installs them)");
        return new Podman(podman.get(), RealApiServer.checkoutRoot().resolve("tools/images/containers.conf"));
    }

    /** Skips the test, saying why, unless {@code image} exists here; {@code howToBuild} is told. */
    public void assumeImage(String image, String howToBuild) {
        assumeTrue(run("image", "exists", image).exitCode() == 0, "needs the image " + image + ": build it with " + howToBuild);
    }

    /** {@link #assumeImage} for {@link #BASE_IMAGE}. */
    public void assumeBaseImage() {
        assumeImage(BASE_IMAGE, "tools/images/build-base.sh (.ci/run does)");
    }

    /**
     * The product image (failsafe's {@code dentry-guard.image}, {@code localhost/dentry-guard:<version>}).
     * Skips the test, saying why, where it is not built, or where it holds other code than this
     * checkout's: its {@code jarInImage} must have the classes and resources of {@code packagedJar}
     * (compared by name and CRC, as the build's time stamps differ); else build.sh must be run again.
     * The image's name is shared by every checkout on a machine, so it may be another's.
     */
    public String productImage(Path packagedJar, String jarInImage) throws IOException {
        String image = System.getProperty("dentry-guard.image");
        assumeTrue(image != null, "dentry-guard.image is not set: run through mvn verify (failsafe sets it)");
        assumeImage(image, "tools/images/build.sh (.ci/run does)");
        String revision = require("image", "inspect", "--format", "{{index .Labels \"org.opencontainers.image.revision\"}}", image).strip();
        Path root = Path.of(require("image", "mount", image).strip());
        try {
            assumeTrue(entries(root.resolve(jarInImage.replaceFirst("^/", ""))).equals(entries(packagedJar)),
                    image + " (revision " + revision + ") holds other code than " + packagedJar.getFileName()
                            + " of this checkout: rebuild it with tools/images/build.sh");
        } finally {
            run("image", "unmount", image);
        }
        System.out.printf("image %s (revision %s): its %s has the classes of %s%n", image, revision, jarInImage, packagedJar.getFileName());
        return image;
    }

    /** A jar's entries by name, each with its CRC. */
    private static Map<String, Long> entries(Path jar) throws IOException {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            return zip.stream().collect(java.util.stream.Collectors.toMap(java.util.zip.ZipEntry::getName, java.util.zip.ZipEntry::getCrc));
        }
    }

    /** {@code command} as the shell would find it on the PATH (promtool too). */
    static Optional<Path> onPath(String command) {
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

    /** What the container has printed so far, standard output and error together. */
    public String logs(String container) {
        return run("logs", container).output();
    }

    /**
     * How the kernel confines the first process of a running container (its entry point, which the
     * launcher replaces with the JVM), read from the host's /proc: what it runs as, not what was asked.
     *
     * @param uid          real, effective, saved and file-system UIDs ("65532 65532 65532 65532")
     * @param effectiveCapabilities CapEff, in hex
     * @param boundingCapabilities  CapBnd, in hex
     * @param noNewPrivileges       NoNewPrivs is 1
     * @param seccompFilter         Seccomp is 2 (a filter)
     * @param rootReadOnly          its root file system is mounted read-only
     */
    public record Confinement(String uid, String effectiveCapabilities, String boundingCapabilities, boolean noNewPrivileges,
                              boolean seccompFilter, boolean rootReadOnly) {}

    public Confinement confinement(String container) throws IOException {
        String pid = require("inspect", "--format", "{{.State.Pid}}", container).strip();
        Path proc = Path.of("/proc", pid);
        Map<String, String> status = new java.util.HashMap<>();
        for (String line : Files.readAllLines(proc.resolve("status"))) {
            int colon = line.indexOf(':');
            status.put(line.substring(0, colon), line.substring(colon + 1).strip().replaceAll("\\s+", " "));
        }
        // mountinfo: id parent major:minor root mount-point options ...; the last mount on "/" is the one seen.
        boolean rootReadOnly = Files.readAllLines(proc.resolve("mountinfo")).stream().map(l -> l.split(" "))
                .filter(f -> f[4].equals("/")).reduce((a, b) -> b)
                .map(f -> Arrays.asList(f[5].split(",")).contains("ro")).orElseThrow();
        return new Confinement(status.get("Uid"), status.get("CapEff"), status.get("CapBnd"), "1".equals(status.get("NoNewPrivs")),
                "2".equals(status.get("Seccomp")), rootReadOnly);
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
