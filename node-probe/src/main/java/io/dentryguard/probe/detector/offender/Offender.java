package io.dentryguard.probe.detector.offender;

import io.dentryguard.api.v1alpha1.OffenderStatus.Confidence;

/**
 * A cgroup suspected of flooding the dentry cache.
 *
 * @param cgroup               path relative to the memory hierarchy's root
 * @param kind                 "pod" or "host"
 * @param podUid               null for host cgroups
 * @param containerId          the pod's container whose kernel memory grew most, when known
 * @param kernelMemoryBytes    the cgroup's kernel memory now (v1 kmem usage, v2 slab_reclaimable)
 * @param growthBytesPerSecond its growth over the recent window, null before two samples
 * @param share                the fraction of the node's negative-dentry memory its growth explains
 */
public record Offender(String cgroup, String kind, String podUid, String containerId, long kernelMemoryBytes,
                       Double growthBytesPerSecond, double share, Confidence confidence, String reason) {
}
