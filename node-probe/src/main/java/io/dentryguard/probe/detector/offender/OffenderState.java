package io.dentryguard.probe.detector.offender;

import io.dentryguard.probe.monitor.cgroup.CgroupIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What offender scoring remembers between samples. Immutable.
 *
 * @param lastNode the node's figures at the previous sample, null before the first
 * @param cgroups  every followed pod and host cgroup by path
 */
public record OffenderState(NodePoint lastNode, Map<String, Tracked> cgroups) {

    public OffenderState {
        cgroups = Map.copyOf(cgroups);
    }

    public static OffenderState start() {
        return new OffenderState(null, Map.of());
    }

    /** Node-wide figures at one sample; {@code inodes} is null when inode-nr was unreadable. */
    public record NodePoint(Instant at, long negatives, Long inodes) {}

    /**
     * One interval between two samples as seen by one cgroup.
     *
     * @param startBytes     the cgroup's kernel memory at the interval's start
     * @param startNegatives the node's negative dentries at the interval's start
     * @param growth         the cgroup's kernel-memory growth in the interval
     * @param negativeBytes  the node's new negative dentries in the interval, in bytes
     * @param clean          the node made no real files to speak of in the interval, so growth in
     *                       it can only be negative dentries
     * @param cgroupsGrowth  the growth of every followed pod and host cgroup that grew in the interval,
     *                       summed: what the cgroups that grew share among themselves
     */
    public record Interval(Instant end, double seconds, long startBytes, long startNegatives, long growth, long negativeBytes,
                           boolean clean, long cgroupsGrowth) {}

    /**
     * @param first        figure when first seen
     * @param nodeAtFirst  the node's figures then
     * @param lastBytes    figure at the previous sample
     * @param recent       flood intervals within the recent window, oldest first
     * @param cleanSince   growth in clean flood intervals since first seen
     * @param mixedSince   growth in flood intervals where the node also made real files
     * @param cgroupsSince the growth of all cgroups that grew in those flood intervals, summed
     */
    public record Tracked(CgroupIdentity identity, long first, NodePoint nodeAtFirst, long lastBytes, List<Interval> recent,
                          long cleanSince, long mixedSince, long cgroupsSince) {
        public Tracked {
            recent = List.copyOf(recent);
        }
    }
}
