package io.dentryguard.demo;

import io.dentryguard.demo.cluster.ApiChoice;
import io.dentryguard.demo.host.ByteSize;
import io.dentryguard.demo.host.HostChecks;
import io.dentryguard.demo.workload.DemoWorkloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The whole story on this machine, no cluster needed: a real flood of negative dentries slows a real neighbour;",
                "the real probe and operator detect it, name the offender, taint the node, reclaim, evict, verify and untaint.",
                "Needs Linux 5.0+, root, podman and runc, and the cgroup v1 memory controller (docs/demo.md).",
                "Removes everything it made when it ends (also on Ctrl-C).",
                "Exit: 0 the story completed, 1 it failed or did not complete as told, 2 usage, 3 this host cannot run it, 130 Ctrl-C."})
public final class DemoCommand implements Callable<Integer> {
    static final int INCOMPLETE = 1;
    static final long MIN_FLOOD_LIMIT = 64L << 20;
    static final int HOST_CANNOT = 3;
    /** As a shell reports a process ended by Ctrl-C. */
    static final int INTERRUPTED = 130;

    @Option(names = "--json", description = "Print the timeline as JSON lines instead of text.")
    boolean json;

    @Option(names = "--flood-limit", paramLabel = "SIZE", defaultValue = "2GiB", converter = ByteSizeConverter.class,
            description = "Stop the flood (freeze the offender) when the dentry slab has grown by SIZE; thresholds are scaled to it "
                    + "(at least 64MiB; default: ${DEFAULT-VALUE}).")
    long floodLimit;

    @Option(names = "--mem-free-floor", paramLabel = "SIZE", defaultValue = "1GiB", converter = ByteSizeConverter.class,
            description = "... or when MemFree falls below SIZE (default: ${DEFAULT-VALUE}).")
    long memFreeFloor;

    @Option(names = "--api", paramLabel = "KIND", defaultValue = "auto",
            description = "API server: auto (the real kube-apiserver where tools/kube-binaries/build.sh built it, else the mock), mock, real (default: ${DEFAULT-VALUE}).")
    String api;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "6m",
            description = "Give up if the story has not ended this long after the flood started (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Sizes as people write them (2GiB, 512MiB); a bad one is a usage error (exit 2), not a crash. */
    static final class ByteSizeConverter implements picocli.CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return ByteSize.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        // Usage first: a mistyped option is said before anything is checked or built.
        if (floodLimit < MIN_FLOOD_LIMIT) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--flood-limit must be at least 64MiB, not "
                    + ByteSize.format(floodLimit));
        }
        ApiChoice apiChoice = apiChoice();
        List<String> problems = HostChecks.ofThisHost().problems();
        if (!problems.isEmpty()) {
            System.err.println("dentry-guard demo cannot run on this host:");
            problems.forEach(p -> System.err.println("  - " + p));
            return HOST_CANNOT;
        }
        Path home = home();
        Path containersConf = home.resolve("tools/images/containers.conf");
        if (!Files.isRegularFile(containersConf)) {
            System.err.println("dentry-guard demo: " + containersConf + " is missing: run the demo from a checkout (./dentry-guard demo)");
            return HOST_CANNOT;
        }
        if (!ensureBaseImage(home, containersConf)) {
            return HOST_CANNOT;
        }
        Demo.Options options = new Demo.Options(json, floodLimit, memFreeFloor, apiChoice, timeout,
                home.resolve("dentry-guard"), floodJar(home), containersConf);
        Demo demo = new Demo(options, System.out);
        // Ctrl-C: the JVM runs this hook; a demo interrupted mid-flood must not leave gigabytes of dentries, containers or cgroups behind.
        Thread hook = new Thread(demo::close, "demo-clean-up");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return demo.run() ? 0 : INCOMPLETE;
        } catch (Demo.HostCannotRunException e) {
            System.err.println("dentry-guard demo cannot run on this host: " + e.getMessage());
            return HOST_CANNOT;
        } catch (Exception e) {
            if (demo.closed()) {
                System.err.println("dentry-guard demo: stopped before the story ended");
                return INTERRUPTED;
            }
            System.err.println("dentry-guard demo failed: " + e.getMessage());
            return INCOMPLETE;
        } finally {
            demo.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C came: the hook is running or ran.
            }
        }
    }

    private ApiChoice apiChoice() {
        try {
            return ApiChoice.valueOf(api.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--api must be auto, mock or real, not '" + api + "'");
        }
    }

    /** The checkout (or installed directory) the launcher runs from: it passes it as dentryguard.home. */
    static Path home() {
        String home = System.getProperty("dentryguard.home");
        if (home == null) {
            throw new IllegalStateException("dentryguard.home is not set: start the demo with ./dentry-guard demo");
        }
        return Path.of(home).toAbsolutePath();
    }

    /** The probe's jar, whose flood command the offender runs: installed (lib/) or packaged in the checkout. */
    static Path floodJar(Path home) throws IOException {
        Path installed = home.resolve("lib/node-probe.jar");
        if (Files.isRegularFile(installed)) {
            return installed;
        }
        try (var jars = Files.list(home.resolve("node-probe/target"))) {
            return jars.filter(p -> p.getFileName().toString().matches("node-probe-.*-all\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no node-probe/target/node-probe-*-all.jar: build it with mvn package"));
        }
    }

    /** The workloads' image, built from Debian packages on first use (about 30 s), as tools/images/build-base.sh does. */
    private static boolean ensureBaseImage(Path home, Path containersConf) throws IOException, InterruptedException {
        ProcessBuilder exists = new ProcessBuilder("podman", "image", "exists", DemoWorkloads.IMAGE).inheritIO();
        exists.environment().put("CONTAINERS_CONF", containersConf.toString());
        if (exists.start().waitFor() == 0) {
            return true;
        }
        System.err.println("dentry-guard demo: building the workloads' image " + DemoWorkloads.IMAGE + " from Debian packages (once, about 30 s)...");
        Process build = new ProcessBuilder(home.resolve("tools/images/build-base.sh").toString()).inheritIO().start();
        if (!build.waitFor(10, TimeUnit.MINUTES)) {
            build.destroyForcibly();
            System.err.println("dentry-guard demo: tools/images/build-base.sh did not end in 10 minutes");
            return false;
        }
        if (build.exitValue() != 0) {
            System.err.println("dentry-guard demo: tools/images/build-base.sh failed; it needs podman runc mmdebstrap uidmap (apt-get install ...)");
            return false;
        }
        return true;
    }
}
