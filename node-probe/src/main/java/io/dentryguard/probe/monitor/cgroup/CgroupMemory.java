package io.dentryguard.probe.monitor.cgroup;

/** One cgroup's kernel-memory figure at one sample. */
public record CgroupMemory(CgroupIdentity identity, long kernelMemoryBytes) {
}
