package io.dentryguard.probe.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dentryguard.probe.monitor.DentrySlab;
import io.dentryguard.probe.monitor.DentryState;
import io.dentryguard.probe.monitor.HashTableSizing;
import io.dentryguard.probe.monitor.KernelRelease;
import io.dentryguard.probe.monitor.MemInfo;
import io.dentryguard.probe.monitor.ProcFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Preconditions and scratch space for tests that measure the real kernel. Each precondition that
 * does not hold skips the calling test with its reason, so that another host reports what it could
 * not check instead of failing on it or passing without checking.
 */
public final class RealKernel {
    /** On the root file system (ext4 here): tmpfs does not keep negative dentries. */
    public static final Path SCRATCH_PARENT = Path.of("/var/tmp");
    public static final ProcFiles PROC = new ProcFiles(Path.of("/proc"));

    private RealKernel() {}

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Skips the test, saying why, unless it runs on Linux with /proc mounted (what the probe itself needs). */
    public static void assumeLinux() {
        assumeTrue(System.getProperty("os.name").equals("Linux"), "needs a Linux kernel, this is " + System.getProperty("os.name"));
        assumeTrue(Files.isReadable(PROC.resolve(DentryState.SOURCE)), "needs /proc: " + DentryState.SOURCE + " is not readable here");
    }

    /** Skips the test, saying why, unless it runs as root on Linux. */
    public static void assumeRootOnLinux() {
        assumeLinux();
        assumeTrue(isRoot(), "needs root: /proc/slabinfo and cgroup control files are root-only (CI runs as root)");
    }

    /** Whether this process may read /proc/slabinfo (mode 0400: root only). */
    public static boolean slabinfoReadable() {
        return Files.isReadable(PROC.resolve(DentrySlab.SOURCE));
    }

    /** Skips the test, saying why, unless /proc/slabinfo can be read. */
    public static void assumeSlabinfoReadable() {
        assumeTrue(slabinfoReadable(), "needs to read /proc/slabinfo, which is root-only (CI runs as root)");
    }

    /** The running kernel's release. */
    public static KernelRelease kernel() throws Exception {
        return KernelRelease.parse(PROC.read(KernelRelease.SOURCE));
    }

    /** Whether the running kernel counts negative dentries (5.0 and later); before, the probe reports them as null. */
    public static boolean countsNegatives() throws Exception {
        return DentryState.kernelCountsNegatives(kernel());
    }

    /** The node's negative dentries now: nr_negative of /proc/sys/fs/dentry-state, as the probe reads it. */
    public static long negativeDentries() throws Exception {
        return DentryState.parse(PROC.read(DentryState.SOURCE), kernel()).negative();
    }

    /** Skips the test, saying why, unless the running kernel counts negative dentries. */
    public static void assumeCountsNegatives() throws Exception {
        assumeTrue(countsNegatives(), "needs a kernel that counts negative dentries (5.0 or later), this is " + kernel().release());
    }

    /**
     * The boot line's "Dentry cache hash table entries: N" as this host's {@code dmesg} shows it to this
     * user, run here apart from the probe's own reader: empty where dmesg is missing or restricted, or
     * the line has rotated out of the ring buffer (the probe then falls back to the sizing rule).
     */
    public static OptionalLong dentryHashEntriesInDmesg() throws IOException, InterruptedException {
        Process dmesg;
        try {
            dmesg = new ProcessBuilder("dmesg").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException noDmesg) {
            return OptionalLong.empty();
        }
        String log = new String(dmesg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return dmesg.waitFor() == 0 ? HashTableSizing.fromKernelLog(log) : OptionalLong.empty();
    }

    /** This host's MemTotal in bytes. */
    public static long memTotalBytes() throws Exception {
        return MemInfo.parse(PROC.read(MemInfo.SOURCE)).totalBytes();
    }

    /** The kernel's sizing rule for this host's MemTotal and command line (its dhash_entries=, if any). */
    public static long sizingRule() throws Exception {
        return HashTableSizing.fromMemory(memTotalBytes(), HashTableSizing.dhashEntries(PROC.read("/proc/cmdline")));
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
