package io.dentryguard.demo.kubelet;

import io.dentryguard.probe.actuator.reclaim.CgroupReclaimer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A cgroup (e.g. {@code /kubepods/besteffort/pod<UID>}) in every cgroup v1 controller of this
 * machine. podman makes the directories when it starts a container under a cgroup parent and
 * leaves them behind after removing it, so the runtime removes them, as the kubelet does.
 */
final class PodCgroups {
    private static final Duration BUSY_FOR_AT_MOST = Duration.ofSeconds(10);
    private static final Duration BUSY_RETRY = Duration.ofMillis(50);

    private final Path root;

    /** @param root where the controllers are mounted: /sys/fs/cgroup */
    PodCgroups(Path root) {
        this.root = root;
    }

    /** The cgroup's directory in each controller that has it (symbolic links such as cpu,cpuacct are skipped: the same controller). */
    List<Path> directories(String cgroup) {
        try (Stream<Path> controllers = Files.list(root)) {
            return controllers.filter(c -> Files.isDirectory(c) && !Files.isSymbolicLink(c))
                    .map(c -> c.resolve(cgroup.replaceFirst("^/", ""))).filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean exists(String cgroup) {
        return !directories(cgroup).isEmpty();
    }

    /** The memory controller's directory of the cgroup. */
    Path memory(String cgroup) {
        return root.resolve("memory").resolve(cgroup.replaceFirst("^/", ""));
    }

    /**
     * Removes the cgroup and the cgroups below it in every controller, leaves first, with rmdir
     * only: the kernel then moves what is still charged to them (dentries, page cache) to the
     * parent, as on a real node. Fails if a cgroup still holds a process.
     */
    void remove(String cgroup) {
        for (Path dir : directories(cgroup)) {
            try (Stream<Path> tree = Files.walk(dir)) {
                for (Path d : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                    rmdirOnceFree(d);
                }
            } catch (NoSuchFileException e) {
                // Already gone.
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove cgroup " + dir, e);
            }
        }
    }

    /**
     * rmdir, retried while the kernel answers EBUSY: conmon leaves its cgroup ({@code pod<UID>/conmon})
     * a moment after {@code podman rm} returns.
     */
    private static void rmdirOnceFree(Path dir) throws IOException {
        long deadline = System.nanoTime() + BUSY_FOR_AT_MOST.toNanos();
        while (true) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (FileSystemException e) {
                if (!String.valueOf(e.getReason()).contains("busy") || System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(BUSY_RETRY.toNanos());
            }
        }
    }

    /** Removes the cgroup in every controller where it has no child cgroup; true if it is gone everywhere. */
    boolean removeIfEmpty(String cgroup) {
        boolean gone = true;
        for (Path dir : directories(cgroup)) {
            try {
                Files.delete(dir);
            } catch (FileSystemException e) {
                // A child cgroup (someone else's pod) or a process: not ours to remove.
                gone = false;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return gone;
    }

    /**
     * Writes 0 to memory.force_empty: the kernel reclaims what the cgroup and those below it are
     * charged (dentries too), which rmdir alone would hand to the parent. Nothing if the cgroup is gone.
     */
    void forceEmpty(String cgroup) {
        Path file = memory(cgroup).resolve("memory.force_empty");
        if (!Files.exists(file)) {
            return;
        }
        try {
            // The probe's writer: a cgroup that vanishes meanwhile fails the write instead of becoming a plain file.
            CgroupReclaimer.KERNEL.write(file, "0");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
