package io.dentryguard.probe.monitor;

import io.dentryguard.probe.monitor.cgroup.CgroupSnapshot;
import java.time.Instant;

/**
 * Everything the monitors saw at one instant. Plain data: the detector decides, the exporters show.
 * {@code canary} is the latest canary run, which may be older than {@code time} (the canary does not
 * run at every sample); its own timestamp says when it ran.
 */
public record NodeObservation(
        Instant time,
        String node,
        Reading<KernelRelease> kernel,
        Reading<DentryState> dentries,
        Reading<DentrySlab> slab,
        Reading<MemInfo> memory,
        Reading<InodeCounts> inodes,
        Reading<HashBuckets> hashBuckets,
        Reading<CanaryMeasurement> canary,
        Reading<CgroupSnapshot> cgroups) {
}
