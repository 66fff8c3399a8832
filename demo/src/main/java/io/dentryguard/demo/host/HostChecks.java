package io.dentryguard.demo.host;

import io.dentryguard.probe.monitor.DentryState;
import io.dentryguard.probe.monitor.KernelRelease;
import io.dentryguard.probe.monitor.ProcFormatException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether this host can run the demo, and if not, why and what to do, checked before anything is
 * made: Linux, root (the pod cgroups, /proc/slabinfo, the reclaims), podman with runc, the cgroup v1
 * memory controller the demo's pod cgroups live in, a kernel that counts negative dentries.
 */
public final class HostChecks {
    /** Where the demo's pods' memory cgroups are made (cgroup v1, as on this project's machines). */
    public static final Path MEMORY_CONTROLLER = Path.of("/sys/fs/cgroup/memory");

    private final String osName;
    private final Function<String, Optional<Path>> onPath;
    private final Path procSelfStatus;
    private final Path memoryController;
    private final Path osRelease;

    HostChecks(String osName, Function<String, Optional<Path>> onPath, Path procSelfStatus, Path memoryController, Path osRelease) {
        this.osName = osName;
        this.onPath = onPath;
        this.procSelfStatus = procSelfStatus;
        this.memoryController = memoryController;
        this.osRelease = osRelease;
    }

    public static HostChecks ofThisHost() {
        return new HostChecks(System.getProperty("os.name"), HostChecks::findOnPath, Path.of("/proc/self/status"), MEMORY_CONTROLLER,
                Path.of("/proc/sys/kernel/osrelease"));
    }

    /** Every reason the demo cannot run here, each with what to do; empty when it can. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!"Linux".equals(osName)) {
            problems.add("the demo needs Linux (its kernel's dentry cache, cgroups and containers); this is " + osName);
            return problems;
        }
        if (!isRoot()) {
            problems.add("the demo needs root: it makes pod cgroups, reads /proc/slabinfo and reclaims dentries (run it with sudo)");
        }
        for (String tool : List.of("podman", "runc")) {
            if (onPath.apply(tool).isEmpty()) {
                problems.add(missing(tool));
            }
        }
        if (!Files.isRegularFile(memoryController.resolve("memory.kmem.usage_in_bytes"))) {
            problems.add("no cgroup v1 memory controller with kernel-memory accounting at " + memoryController
                    + ": the demo lays its pods out in it (the probe itself also reads cgroup v2; the demo does not yet)");
        }
        if (!negativesCounted()) {
            problems.add("this kernel does not count negative dentries (/proc/sys/fs/dentry-state's nr_negative, Linux 5.0 and later):"
                    + " the demo's story is told with them");
        }
        return problems;
    }

    private boolean isRoot() {
        try {
            return Files.readAllLines(procSelfStatus).stream().filter(l -> l.startsWith("Uid:")).findFirst()
                    .map(l -> l.split("\\s+")[1].equals("0")).orElse(false);
        } catch (IOException e) {
            return false;
        }
    }

    private boolean negativesCounted() {
        try {
            return DentryState.kernelCountsNegatives(KernelRelease.parse(Files.readString(osRelease)));
        } catch (IOException | ProcFormatException e) {
            return false;
        }
    }

    /** Why {@code tool} (podman or runc) is needed, and how to get it. */
    public static String missing(String tool) {
        return tool + " is missing: it runs the demo's workloads as real containers (Debian: apt-get install podman runc uidmap)";
    }

    /** {@code command} as the shell would find it on the PATH. */
    public static Optional<Path> findOnPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
