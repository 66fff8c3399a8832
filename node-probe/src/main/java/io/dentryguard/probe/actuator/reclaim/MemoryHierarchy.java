package io.dentryguard.probe.actuator.reclaim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The memory controller's hierarchy under the host's cgroup mount, found as the cgroup monitor finds
 * it: the unified (v2) hierarchy if it has the memory controller, else the v1 {@code memory} one.
 */
public record MemoryHierarchy(Path root, boolean v2) {
    /** v1: empties the cgroup (all its pages and kernel memory, dentries among them). */
    public static final String V1_FORCE_EMPTY = "memory.force_empty";
    /** v2 (Linux 5.19+): reclaims up to the amount written. */
    public static final String V2_RECLAIM = "memory.reclaim";

    public static Optional<MemoryHierarchy> find(Path cgroupRoot) {
        Path controllers = cgroupRoot.resolve("cgroup.controllers");
        try {
            if (Files.isRegularFile(controllers) && List.of(Files.readString(controllers).strip().split("\\s+")).contains("memory")) {
                return Optional.of(new MemoryHierarchy(cgroupRoot, true));
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        Path v1 = cgroupRoot.resolve("memory");
        if (Files.isDirectory(v1) && Files.exists(v1.resolve("memory.usage_in_bytes"))) {
            return Optional.of(new MemoryHierarchy(v1, false));
        }
        return Optional.empty();
    }

    /** The control file a Pod reclaim writes. */
    public String reclaimFile() {
        return v2 ? V2_RECLAIM : V1_FORCE_EMPTY;
    }

    public String version() {
        return v2 ? "v2" : "v1";
    }
}
