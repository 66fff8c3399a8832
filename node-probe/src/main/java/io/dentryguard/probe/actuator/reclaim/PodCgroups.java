package io.dentryguard.probe.actuator.reclaim;

import io.dentryguard.probe.monitor.cgroup.CgroupDiscovery;
import io.dentryguard.probe.monitor.cgroup.CgroupIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds a pod's memory cgroup from its UID, only among the pod directories of kubelet's hierarchy
 * as {@link CgroupDiscovery} lists them (both cgroup drivers: {@code kubepods/<qos>/pod<uid>} and
 * {@code kubepods-<qos>-pod<uid_with_underscores>.slice}). The UID is compared with the UIDs read
 * from directory names, never joined into a path: a request cannot point the probe anywhere else.
 */
public final class PodCgroups {
    private final Path memoryRoot;

    public PodCgroups(Path memoryRoot) {
        this.memoryRoot = memoryRoot;
    }

    /** The pod's cgroup directory, or empty when {@code podUid} is not a pod UID or no such pod's cgroup is on this node. */
    public Optional<Path> find(String podUid) {
        if (!ReclaimDecision.isPodUid(podUid)) {
            return Optional.empty();
        }
        String wanted = podUid.toLowerCase(Locale.ROOT);
        try {
            for (CgroupIdentity id : new CgroupDiscovery().discover(memoryRoot)) {
                if (id.kind() == CgroupIdentity.Kind.POD && wanted.equals(id.podUid())) {
                    Path dir = memoryRoot.resolve(id.path()).normalize();
                    if (dir.startsWith(memoryRoot.normalize()) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                        return Optional.of(dir);
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
