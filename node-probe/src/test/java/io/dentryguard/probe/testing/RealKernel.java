package io.dentryguard.probe.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Preconditions and scratch space for tests that measure the real kernel. */
public final class RealKernel {
    /** On the root file system (ext4 here): tmpfs does not keep negative dentries. */
    public static final Path SCRATCH_PARENT = Path.of("/var/tmp");

    private RealKernel() {}

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Skips the test, saying why, unless it runs as root on Linux. */
    public static void assumeRootOnLinux() {
        assumeTrue(System.getProperty("os.name").equals("Linux"), "needs a Linux kernel, this is " + System.getProperty("os.name"));
        assumeTrue(isRoot(), "needs root: /proc/slabinfo and cgroup control files are root-only (CI runs as root)");
    }

    /** A new directory on a file system that keeps negative dentries; skips the test if there is none. */
    public static Path scratchDirectory(String prefix) throws IOException {
        FileStore store = Files.getFileStore(SCRATCH_PARENT);
        assumeTrue(!store.type().equals("tmpfs"), SCRATCH_PARENT + " is tmpfs, which keeps no negative dentries");
        return Files.createTempDirectory(SCRATCH_PARENT, prefix);
    }

    /** Removes a scratch tree; removing a directory also frees the negative dentries under it. */
    public static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
