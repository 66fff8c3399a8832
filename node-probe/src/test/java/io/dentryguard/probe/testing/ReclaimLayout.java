package io.dentryguard.probe.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A node's files a reclaim reads and writes, laid out as the kernel writes them in a test's
 * directory: {@code proc/} (kernel release, dentry-state, slabinfo, drop_caches) and {@code cgroup/}
 * (the cgroup mount). The test plays the kernel's side by rewriting the figures when a control file
 * is written.
 */
public final class ReclaimLayout {
    private final Path proc;
    private final Path cgroupRoot;

    private ReclaimLayout(Path proc, Path cgroupRoot) {
        this.proc = proc;
        this.cgroupRoot = cgroupRoot;
    }

    /** A 6.1 kernel's /proc with {@code negatives} negative dentries, and an empty cgroup mount. */
    public static ReclaimLayout create(Path dir, long negatives) throws IOException {
        ReclaimLayout layout = new ReclaimLayout(dir.resolve("proc"), Files.createDirectories(dir.resolve("cgroup")));
        Files.createDirectories(layout.proc.resolve("sys/fs"));
        Files.createDirectories(layout.proc.resolve("sys/kernel"));
        Files.createDirectories(layout.proc.resolve("sys/vm"));
        Files.writeString(layout.proc.resolve("sys/kernel/osrelease"), "6.1.0-28-amd64\n");
        Files.writeString(layout.proc.resolve("sys/vm/drop_caches"), "0\n");
        layout.negatives(negatives);
        layout.dentrySlab(negatives + 50_000);
        return layout;
    }

    public Path proc() {
        return proc;
    }

    public Path cgroupRoot() {
        return cgroupRoot;
    }

    /** /proc/sys/fs/dentry-state with {@code n} negative dentries. */
    public void negatives(long n) throws IOException {
        Files.writeString(proc.resolve("sys/fs/dentry-state"), (n + 50_000) + "\t" + (n + 40_000) + "\t45\t0\t" + n + "\t0\n");
    }

    /** /proc/slabinfo with {@code objects} dentries of 192 bytes. */
    public void dentrySlab(long objects) throws IOException {
        Files.writeString(proc.resolve("slabinfo"), "slabinfo - version: 2.1\n"
                + "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n"
                + "dentry            " + objects + " " + objects + "    192   21    1 : tunables    0    0    0 : slabdata " + objects / 21 + " " + objects / 21 + "      0\n");
    }

    /** The directory of a burstable pod's cgroup as kubelet's systemd driver names it (not created). */
    public Path systemdPod(String podUid) {
        return cgroupRoot.resolve("kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + podUid.replace('-', '_') + ".slice");
    }

    /** A v2 mount with the memory controller, and a pod's cgroup under kubepods.slice with the given memory. */
    public Path v2Pod(String podUid, long slab, long current) throws IOException {
        Files.writeString(cgroupRoot.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        Path pod = Files.createDirectories(systemdPod(podUid));
        Files.writeString(cgroupRoot.resolve("kubepods.slice/memory.reclaim"), "");
        v2Memory(pod, slab, current);
        return pod;
    }

    /** A v2 cgroup's memory.stat and memory.current, and its (empty) memory.reclaim. */
    public void v2Memory(Path cgroup, long slab, long current) throws IOException {
        Files.writeString(cgroup.resolve("memory.stat"), "anon 1048576\nfile 4096000\nkernel " + (slab + 300_000) + "\nkernel_stack 16384\n"
                + "pagetables 8192\nsock 0\nshmem 0\nslab_reclaimable " + (slab - 20_000) + "\nslab_unreclaimable 20000\nslab " + slab
                + "\nworkingset_refault_anon 0\n");
        Files.writeString(cgroup.resolve("memory.current"), current + "\n");
        if (!Files.exists(cgroup.resolve("memory.reclaim"))) {
            Files.writeString(cgroup.resolve("memory.reclaim"), "");
        }
    }
}
