package io.dentryguard.probe.actuator.reclaim;

import io.dentryguard.api.v1alpha1.ReclaimRequest.Scope;
import io.dentryguard.probe.monitor.ProcFiles;
import io.dentryguard.probe.monitor.cgroup.KubeletCgroupNames;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the probe can reclaim, found at start from the options and the files it would write:
 * {@code Files.isWritable} is access(2), which answers no on a read-only mount even for root.
 */
public final class ReclaimCapabilityCheck {
    private static final int KUBEPODS_SEARCH_DEPTH = 3;

    private ReclaimCapabilityCheck() {}

    public static ReclaimCapabilities check(boolean podsEnabled, boolean nodeEnabled, Optional<MemoryHierarchy> hierarchy,
                                            Path cgroupRoot, Path dropCaches) {
        Map<Scope, String> missing = new EnumMap<>(Scope.class);
        podLimit(podsEnabled, hierarchy, cgroupRoot).ifPresent(why -> missing.put(Scope.POD, why));
        nodeLimit(nodeEnabled, dropCaches).ifPresent(why -> missing.put(Scope.NODE, why));
        return ReclaimCapabilities.of(missing);
    }

    private static Optional<String> podLimit(boolean enabled, Optional<MemoryHierarchy> hierarchy, Path cgroupRoot) {
        if (!enabled) {
            return Optional.of("off (--reclaim-pods not given)");
        }
        if (hierarchy.isEmpty()) {
            return Optional.of("no memory cgroup controller under " + cgroupRoot);
        }
        MemoryHierarchy h = hierarchy.get();
        Path where = kubepodsRoot(h.root(), 1).orElse(null);
        if (where == null) {
            return Optional.of("no kubelet pod hierarchy (kubepods) under " + h.root());
        }
        Path control = where.resolve(h.reclaimFile());
        if (!Files.exists(control)) {
            return Optional.of("the kernel has no " + h.reclaimFile() + " (cgroup " + h.version() + "; memory.reclaim needs Linux 5.19+)");
        }
        if (!Files.isWritable(control)) {
            // cgroupRoot is where the probe sees the tree (/host/sys/fs/cgroup in its container), not the host's path.
            return Optional.of(control + " is not writable (the cgroup tree is mounted read-only: mount the host's memory cgroup"
                    + " tree writable at " + h.root() + ")");
        }
        return Optional.empty();
    }

    private static Optional<String> nodeLimit(boolean enabled, Path control) {
        if (!enabled) {
            return Optional.of("off (--reclaim-node not given)");
        }
        if (!Files.exists(control)) {
            return Optional.of(control + " does not exist");
        }
        if (!Files.isWritable(control)) {
            return Optional.of(control + " is not writable (/proc/sys is read-only in a container: mount the host's /proc/sys/vm writable)");
        }
        return Optional.empty();
    }

    /** The first kubepods directory up to three levels below the memory root, as the cgroup discovery searches. */
    static Optional<Path> kubepodsRoot(Path dir, int depth) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, Files::isDirectory)) {
            java.util.List<Path> children = new java.util.ArrayList<>();
            s.forEach(children::add);
            children.sort(null);
            for (Path c : children) {
                if (KubeletCgroupNames.isKubepodsRoot(c.getFileName().toString())) {
                    return Optional.of(c);
                }
            }
            if (depth < KUBEPODS_SEARCH_DEPTH) {
                for (Path c : children) {
                    Optional<Path> found = kubepodsRoot(c, depth + 1);
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
