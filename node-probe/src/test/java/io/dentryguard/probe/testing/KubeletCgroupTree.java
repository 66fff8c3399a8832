package io.dentryguard.probe.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
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
 * kubelet does with --cgroup-root), and the processes started in it. {@link #close} removes them
 * all, also when a test fails: the processes, then each container cgroup emptied of its charges,
 * then the directories bottom up.
 */
public final class KubeletCgroupTree implements AutoCloseable {
    public static final Path MEMORY = Path.of("/sys/fs/cgroup/memory");

    private final Path base;
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> cgroups = new ArrayList<>();

    private KubeletCgroupTree(Path base) {
        this.base = base;
    }

    /** Skips the test, with the reason, where there is no v1 memory controller with kmem accounting. */
    public static KubeletCgroupTree create(String name) {
        assumeTrue(Files.isRegularFile(MEMORY.resolve("memory.kmem.usage_in_bytes")),
                "needs the cgroup v1 memory controller with kmem accounting at " + MEMORY + " (a cgroup v2 host has none)");
        return new KubeletCgroupTree(MEMORY.resolve(name + "-" + UUID.randomUUID().toString().substring(0, 8)));
    }

    /** A container's cgroup in pod {@code podUid} of QoS class {@code qos}, named as containerd names them. */
    public Path container(String qos, String podUid) throws IOException {
        Path container = base.resolve("kubepods").resolve(qos).resolve("pod" + podUid)
                .resolve(UUID.randomUUID().toString().replace("-", "") + "abcdef0123456789abcdef0123456789");
        Files.createDirectories(container);
        cgroups.add(container);
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
        if (!Files.exists(base)) {
            return;
        }
        for (Path leaf : cgroups) {
            if (Files.exists(leaf)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(leaf.resolve("cgroup.procs")).isBlank());
                Files.writeString(leaf.resolve("memory.force_empty"), "0");
            }
        }
        try (Stream<Path> walk = Files.walk(base)) {
            for (Path dir : walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(dir); // rmdir: cgroupfs removes a cgroup's control files with it
            }
        }
    }
}
