package io.dentryguard.probe.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A node's kubelet pod hierarchy nested under a test cgroup of the real v1 memory controller (as a
 * kubelet does with --cgroup-root), and the processes started in it, or the containers a container
 * engine starts in it ({@link #podParent}). {@link #close} removes them all, also when a test fails:
 * the processes, then each memory cgroup emptied of its charges and removed, bottom up, then the
 * directories an engine made in the other controllers.
 */
public final class KubeletCgroupTree implements AutoCloseable {
    public static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    public static final Path MEMORY = CGROUP_ROOT.resolve("memory");

    private final Path base;
    private final List<Process> processes = new ArrayList<>();

    private KubeletCgroupTree(Path base) {
        this.base = base;
    }

    /** Skips the test, with the reason, where there is no v1 memory controller with kmem accounting. */
    public static void assumeV1MemoryController() {
        assumeTrue(Files.isRegularFile(MEMORY.resolve("memory.kmem.usage_in_bytes")),
                "needs the cgroup v1 memory controller with kmem accounting at " + MEMORY + " (a cgroup v2 host has none)");
    }

    /** A tree of its own, {@code name-<random>} under the memory controller; skips the test as {@link #assumeV1MemoryController}. */
    public static KubeletCgroupTree create(String name) {
        assumeV1MemoryController();
        return new KubeletCgroupTree(MEMORY.resolve(name + "-" + UUID.randomUUID().toString().substring(0, 8)));
    }

    /**
     * Makes the QoS class's cgroup ({@code kubepods/<qos>}) in the memory controller, as kubelet does
     * when it starts, before any pod: a probe looks for kubelet's hierarchy when it starts.
     */
    public Path qosClass(String qos) throws IOException {
        return Files.createDirectories(base.resolve("kubepods").resolve(qos));
    }

    /** The memory cgroup of pod {@code podUid} of QoS class {@code qos} (kubelet's cgroupfs layout), made or not. */
    public Path pod(String qos, String podUid) {
        return base.resolve("kubepods").resolve(qos).resolve("pod" + podUid);
    }

    /**
     * The pod's cgroup as a container engine's {@code --cgroup-parent} names it (cgroupfs driver: a path
     * from the root of every controller), so that the engine puts its containers in it as kubelet's
     * runtime does.
     */
    public String podParent(String qos, String podUid) {
        return "/" + MEMORY.relativize(pod(qos, podUid));
    }

    /** A container's cgroup in pod {@code podUid} of QoS class {@code qos}, named as containerd names them. */
    public Path container(String qos, String podUid) throws IOException {
        Path container = pod(qos, podUid).resolve(UUID.randomUUID().toString().replace("-", "") + "abcdef0123456789abcdef0123456789");
        Files.createDirectories(container);
        return container;
    }

    /** Starts {@code command} so that its process joins {@code cgroup} before it execs; its output goes to {@code log}. */
    public Process startIn(Path cgroup, Path log, List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec \"$@\"", "sh"));
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    /** Ends a process of the test's own (the probe) with the others. */
    public void own(Process p) {
        processes.add(p);
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        // Each memory cgroup emptied before its rmdir, leaves first: an rmdir alone would move its charges
        // (a test's negative dentries) to the parent, and on to the node.
        for (Path cgroup : bottomUp(base)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(cgroup.resolve("cgroup.procs")).isBlank());
            Files.writeString(cgroup.resolve("memory.force_empty"), "0");
            Files.delete(cgroup); // rmdir: cgroupfs removes a cgroup's control files with it
        }
        // A container engine makes the pod's directories in every controller and leaves them behind.
        try (Stream<Path> hierarchies = Files.list(CGROUP_ROOT)) {
            for (Path hierarchy : hierarchies.filter(h -> Files.isDirectory(h, LinkOption.NOFOLLOW_LINKS)).toList()) {
                for (Path cgroup : bottomUp(hierarchy.resolve(base.getFileName()))) {
                    Files.delete(cgroup);
                }
            }
        }
    }

    /** The cgroup directories of a tree, each after those below it; none when it does not exist. */
    private static List<Path> bottomUp(Path top) throws IOException {
        if (!Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(top)) {
            return walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
        }
    }
}
