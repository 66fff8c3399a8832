package io.dentryguard.probe.monitor.cgroup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lists the cgroups whose kernel memory the probe follows: every pod, each pod's containers, and the
 * host's own cgroups (daemons, sessions: the noisy neighbour can be one of them). Kubelet's pod
 * hierarchy is found at any depth up to three below the memory root, so nested kubelets (kind, a
 * custom --cgroup-root) are covered. Directories that vanish while being listed are skipped quietly.
 */
public final class CgroupDiscovery {
    private static final int KUBEPODS_SEARCH_DEPTH = 3;

    private CgroupDiscovery() {}

    /** Pods and containers under kubepods, and host cgroups, relative to {@code memoryRoot}. */
    public static List<CgroupIdentity> discover(Path memoryRoot) throws IOException {
        List<CgroupIdentity> found = new ArrayList<>();
        walk(memoryRoot, memoryRoot, 1, found);
        return found;
    }

    private static void walk(Path root, Path dir, int depth, List<CgroupIdentity> found) throws IOException {
        for (Path child : subdirectories(dir, dir.equals(root))) {
            String name = child.getFileName().toString();
            if (KubeletCgroupNames.isKubepodsRoot(name)) {
                kubepods(root, child, found);
            } else if (depth < KUBEPODS_SEARCH_DEPTH && containsKubepods(child, depth + 1)) {
                walk(root, child, depth + 1, found);
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

    private static void kubepods(Path root, Path kubepods, List<CgroupIdentity> found) throws IOException {
        for (Path child : subdirectories(kubepods, false)) {
            String name = child.getFileName().toString();
            Optional<String> qos = KubeletCgroupNames.qosDirectory(name);
            if (qos.isPresent()) {
                for (Path pod : subdirectories(child, false)) {
                    pod(root, pod, qos.get(), found);
                }
            } else {
                pod(root, child, "guaranteed", found);
            }
        }
    }

    private static void pod(Path root, Path dir, String qos, List<CgroupIdentity> found) throws IOException {
        Optional<String> uid = KubeletCgroupNames.podUid(dir.getFileName().toString());
        if (uid.isEmpty()) {
            return;
        }
        found.add(new CgroupIdentity(relative(root, dir), CgroupIdentity.Kind.POD, uid.get(), null, qos));
        for (Path c : subdirectories(dir, false)) {
            Optional<String> id = KubeletCgroupNames.containerId(c.getFileName().toString());
            id.ifPresent(cid -> found.add(new CgroupIdentity(relative(root, c), CgroupIdentity.Kind.CONTAINER, uid.get(), cid, qos)));
        }
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    /** Sub-directories, sorted; empty if the directory vanished. At the root, a missing root is an error. */
    private static List<Path> subdirectories(Path dir, boolean mustExist) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, Files::isDirectory)) {
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
