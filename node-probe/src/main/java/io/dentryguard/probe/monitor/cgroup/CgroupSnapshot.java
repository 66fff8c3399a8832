package io.dentryguard.probe.monitor.cgroup;

import java.util.List;

/**
 * Kernel memory of every followed cgroup at one sample. Containers are re-read only when the tree
 * is rescanned, so their figures may be a little older than the pods'.
 *
 * @param version  "v1" or "v2"
 * @param problems cgroups that could not be read and why (vanished cgroups are not problems)
 */
public record CgroupSnapshot(String version, List<CgroupMemory> cgroups, List<String> problems) {
    public CgroupSnapshot {
        cgroups = List.copyOf(cgroups);
        problems = List.copyOf(problems);
    }
}
