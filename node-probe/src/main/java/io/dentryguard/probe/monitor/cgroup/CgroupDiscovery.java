package io.dentryguard.probe.monitor.cgroup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lists the cgroups whose kernel memory the probe follows: every pod, each pod's containers, and the
 * host's own cgroups (daemons, sessions: the noisy neighbour can be one of them). Kubelet's pod
 * hierarchy is found at any depth up to three below the memory root, so nested kubelets (kind, a
 * custom --cgroup-root) are covered. Directories that vanish while being listed are skipped quietly.
 */
public final class CgroupDiscovery {
    private static final int KUBEPODS_SEARCH_DEPTH = 3;
    /** A known pod's directory is listed again for containers every this many discoveries. */
    private static final int CONTAINER_RELIST_EVERY = 10;

    private final Map<String, List<CgroupIdentity>> containersByPod = new HashMap<>();
    private long discoveries;

    /**
     * Pods and containers under kubepods, and host cgroups, relative to {@code memoryRoot}. A pod
     * seen before keeps its container list between full listings: listing every pod directory is
     * most of the cost of a discovery (a cgroup directory holds dozens of control files).
     */
    public List<CgroupIdentity> discover(Path memoryRoot) throws IOException {
        List<CgroupIdentity> found = new ArrayList<>();
        boolean relistContainers = discoveries++ % CONTAINER_RELIST_EVERY == 0;
        Map<String, List<CgroupIdentity>> seen = new HashMap<>();
        walk(memoryRoot, memoryRoot, 1, found, relistContainers, seen);
        containersByPod.keySet().retainAll(seen.keySet());
        containersByPod.putAll(seen);
        return found;
    }

    private void walk(Path root, Path dir, int depth, List<CgroupIdentity> found, boolean relist,
                      Map<String, List<CgroupIdentity>> seen) throws IOException {
        for (Path child : subdirectories(dir, dir.equals(root))) {
            String name = child.getFileName().toString();
            if (KubeletCgroupNames.isKubepodsRoot(name)) {
                kubepods(root, child, found, relist, seen);
            } else if (depth < KUBEPODS_SEARCH_DEPTH && containsKubepods(child, depth + 1)) {
                walk(root, child, depth + 1, found, relist, seen);
            } else if (depth == 1) {
                // Host cgroups: a slice's services (system.slice/containerd.service), else the directory itself.
                List<Path> grandChildren = subdirectories(child, false);
                if (grandChildren.isEmpty()) {
                    found.add(CgroupIdentity.host(relative(root, child)));
                } else {
                    for (Path g : grandChildren) {
                        found.add(CgroupIdentity.host(relative(root, g)));
                    }
                }
            }
        }
    }

    private static boolean containsKubepods(Path dir, int depth) throws IOException {
        for (Path child : subdirectories(dir, false)) {
            if (KubeletCgroupNames.isKubepodsRoot(child.getFileName().toString())
                    || (depth < KUBEPODS_SEARCH_DEPTH && containsKubepods(child, depth + 1))) {
                return true;
            }
        }
        return false;
    }

    private void kubepods(Path root, Path kubepods, List<CgroupIdentity> found, boolean relist,
                          Map<String, List<CgroupIdentity>> seen) throws IOException {
        for (Path child : subdirectories(kubepods, false)) {
            String name = child.getFileName().toString();
            Optional<String> qos = KubeletCgroupNames.qosDirectory(name);
            if (qos.isPresent()) {
                for (Path pod : subdirectories(child, false)) {
                    pod(root, pod, qos.get(), found, relist, seen);
                }
            } else {
                pod(root, child, "guaranteed", found, relist, seen);
            }
        }
    }

    private void pod(Path root, Path dir, String qos, List<CgroupIdentity> found, boolean relist,
                     Map<String, List<CgroupIdentity>> seen) throws IOException {
        Optional<String> uid = KubeletCgroupNames.podUid(dir.getFileName().toString());
        if (uid.isEmpty()) {
            return;
        }
        String path = relative(root, dir);
        found.add(new CgroupIdentity(path, CgroupIdentity.Kind.POD, uid.get(), null, qos));
        List<CgroupIdentity> containers = relist ? null : containersByPod.get(path);
        if (containers == null) {
            containers = new ArrayList<>();
            for (Path c : subdirectories(dir, false)) {
                Optional<String> id = KubeletCgroupNames.containerId(c.getFileName().toString());
                if (id.isPresent()) {
                    containers.add(new CgroupIdentity(relative(root, c), CgroupIdentity.Kind.CONTAINER, uid.get(), id.get(), qos));
                }
            }
        }
        seen.put(path, containers);
        found.addAll(containers);
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    /**
     * Names of control files: skipped by name, because a cgroup directory holds dozens of them (30
     * in a v1 memory cgroup here) and a stat of each made a rescan of 110 pods cost 41.6 ms (bench).
     */
    private static boolean isControlFile(String name) {
        int dot = name.indexOf('.');
        if (dot < 0) {
            return name.equals("tasks") || name.equals("notify_on_release") || name.equals("release_agent");
        }
        return CONTROLLER_PREFIXES.contains(name.substring(0, dot));
    }

    private static final java.util.Set<String> CONTROLLER_PREFIXES = java.util.Set.of("cgroup", "memory", "cpu", "cpuacct",
            "cpuset", "io", "blkio", "pids", "hugetlb", "rdma", "misc", "devices", "freezer", "net_cls", "net_prio",
            "perf_event", "irq");

    /** Sub-directories, sorted; empty if the directory vanished. At the root, a missing root is an error. */
    private static List<Path> subdirectories(Path dir, boolean mustExist) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir,
                p -> !isControlFile(p.getFileName().toString()) && Files.isDirectory(p))) {
            for (Path p : s) {
                out.add(p);
            }
        } catch (NoSuchFileException e) {
            if (mustExist) {
                throw e;
            }
        }
        out.sort(null);
        return out;
    }
}
