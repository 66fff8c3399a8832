package io.dentryguard.probe.monitor.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Cgroup trees written the way the kernel and kubelet lay them out, for tests without a cluster. */
final class CgroupTrees {
    static final String POD_A = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
    static final String POD_B = "aa11bb22-cc33-dd44-ee55-ff6677889900";
    static final String POD_G = "12345678-1234-1234-1234-123456789abc";
    static final String CID_A = "4f9c8b1a2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a";
    static final String CID_B = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private CgroupTrees() {}

    /** memory.stat as a 6.x kernel writes it, with the given slab_reclaimable. */
    static String memoryStat(long slabReclaimable) {
        return "anon 8474624\nfile 2334720\nkernel 1531904\nkernel_stack 98304\npagetables 200704\nsec_pagetables 0\n"
                + "percpu 0\nsock 0\nvmalloc 0\nshmem 0\nzswap 0\nzswapped 0\nfile_mapped 0\nfile_dirty 0\n"
                + "file_writeback 0\nswapcached 0\nanon_thp 0\nfile_thp 0\nshmem_thp 0\ninactive_anon 8372224\n"
                + "active_anon 102400\ninactive_file 1994752\nactive_file 339968\nunevictable 0\n"
                + "slab_reclaimable " + slabReclaimable + "\nslab_unreclaimable 412312\nslab " + (slabReclaimable + 412312) + "\n"
                + "workingset_refault_anon 0\nworkingset_refault_file 0\nworkingset_activate_anon 0\n"
                + "workingset_activate_file 0\nworkingset_restore_anon 0\nworkingset_restore_file 0\n"
                + "workingset_nodereclaim 0\npgscan 0\npgsteal 0\npgfault 2871\npgmajfault 0\n";
    }

    /** A cgroup v2 root with the systemd driver: two burstable/besteffort pods, one guaranteed, host services. */
    static Path v2Systemd(Path root) throws IOException {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        stat(root, "init.scope", 1_000_000);
        stat(root, "system.slice/containerd.service", 40_000_000);
        stat(root, "system.slice/kubelet.service", 30_000_000);
        stat(root, "user.slice", 5_000_000);
        String kubepods = "kubepods.slice";
        stat(root, kubepods, 900_000_000);
        String burstable = kubepods + "/kubepods-burstable.slice";
        stat(root, burstable, 700_000_000);
        String podA = burstable + "/kubepods-burstable-pod" + POD_A.replace('-', '_') + ".slice";
        stat(root, podA, 600_000_000);
        stat(root, podA + "/cri-containerd-" + CID_A + ".scope", 590_000_000);
        stat(root, podA + "/cri-containerd-" + CID_B + ".scope", 9_000_000);
        String besteffort = kubepods + "/kubepods-besteffort.slice";
        stat(root, besteffort, 20_000_000);
        String podB = besteffort + "/kubepods-besteffort-pod" + POD_B.replace('-', '_') + ".slice";
        stat(root, podB, 20_000_000);
        stat(root, podB + "/crio-" + CID_B + ".scope", 19_000_000);
        String podG = kubepods + "/kubepods-pod" + POD_G.replace('-', '_') + ".slice";
        stat(root, podG, 3_000_000);
        return root;
    }

    /** A cgroup v1 memory hierarchy with the cgroupfs driver. */
    static Path v1Cgroupfs(Path cgroupRoot) throws IOException {
        Path memory = Files.createDirectories(cgroupRoot.resolve("memory"));
        kmem(memory, "", 2_000_000_000);
        kmem(memory, "system.slice/docker.service", 50_000_000);
        kmem(memory, "kubepods", 800_000_000);
        kmem(memory, "kubepods/burstable", 700_000_000);
        kmem(memory, "kubepods/burstable/pod" + POD_A, 600_000_000);
        kmem(memory, "kubepods/burstable/pod" + POD_A + "/" + CID_A, 590_000_000);
        kmem(memory, "kubepods/besteffort/pod" + POD_B, 20_000_000);
        kmem(memory, "kubepods/pod" + POD_G, 3_000_000);
        kmem(memory, "kubepods/pod" + POD_G + "/" + CID_B, 2_000_000);
        return cgroupRoot;
    }

    static void stat(Path root, String cgroup, long slabReclaimable) throws IOException {
        Path dir = Files.createDirectories(root.resolve(cgroup));
        Files.writeString(dir.resolve("memory.stat"), memoryStat(slabReclaimable));
    }

    static void kmem(Path memoryRoot, String cgroup, long bytes) throws IOException {
        Path dir = Files.createDirectories(cgroup.isEmpty() ? memoryRoot : memoryRoot.resolve(cgroup));
        Files.writeString(dir.resolve("memory.kmem.usage_in_bytes"), bytes + "\n");
    }
}
