package io.dentryguard.probe.detector.offender;

import io.dentryguard.api.v1alpha1.OffenderStatus.Confidence;
import io.dentryguard.probe.detector.offender.OffenderState.Interval;
import io.dentryguard.probe.detector.offender.OffenderState.NodePoint;
import io.dentryguard.probe.detector.offender.OffenderState.Tracked;
import io.dentryguard.probe.monitor.NodeObservation;
import io.dentryguard.probe.monitor.cgroup.CgroupIdentity;
import io.dentryguard.probe.monitor.cgroup.CgroupMemory;
import io.dentryguard.probe.numbers.HumanReadable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ranks cgroups by how much of the node's negative-dentry memory their kernel memory explains, as a
 * pure function of the carried state and one observation.
 *
 * <p>The signal: the kernel charges each dentry to the memory cgroup of the process that allocated
 * it, about 200 bytes apiece, so a flooding cgroup's kernel memory grows in step with the node's
 * {@code nr_negative}. Per-cgroup bytes alone cannot tell a negative dentry from a new file's dentry
 * and inode; the node's inode count can, interval by interval: growth in an interval where the node
 * gained negatives and no real files ("clean") can only be negatives; growth in an interval where it
 * gained both ("mixed") could be either. A cgroup reaches High only on clean evidence.
 *
 * <p>A cgroup's share is its growth over the larger of two figures: the negatives' memory at the
 * configured bytes per dentry, and the growth of all followed cgroups that grew over the same
 * intervals. The second keeps the share honest where a dentry costs more than configured (272 bytes
 * with names over 32 characters, measured on a cgroup v2 kernel): two equal flooders then share the
 * growth, about half each, instead of each seeming to explain more than half. The first keeps a
 * cgroup that grew a little from taking the blame for a flood in a cgroup nobody follows.
 *
 * <p>Evidence is weighed in three windows: the recent window (the last minute); since the cgroup was
 * first seen (a flood that happened while the probe watched counts while its dentries remain, even
 * if the flooder now idles); and before the probe started (memory the cgroup already held against
 * negatives the node already had: nothing tells what those bytes are, so never more than Medium).
 */
public final class OffenderScoring {
    private OffenderScoring() {}

    public record Result(List<Offender> offenders, OffenderState state) {}

    public static Result evaluate(OffenderState state, NodeObservation obs, OffenderConfig config) {
        // Without per-cgroup figures, or without nr_negative (kernels before 5.0), nobody is named;
        // the reason is already in the observation's problems.
        if (!obs.cgroups().present() || !obs.dentries().present() || obs.dentries().value().negative() == null) {
            return new Result(List.of(), state);
        }
        Instant now = obs.time();
        NodePoint node = new NodePoint(now, obs.dentries().value().negative(),
                obs.inodes().present() ? obs.inodes().value().allocated() : null);
        NodePoint previous = state.lastNode();
        long negativeBytes = 0;
        boolean clean = false;
        double seconds = 0;
        if (previous != null) {
            negativeBytes = Math.max(0, node.negatives() - previous.negatives()) * config.bytesPerDentry();
            clean = node.inodes() != null && previous.inodes() != null
                    && Math.max(0, node.inodes() - previous.inodes()) * config.bytesPerInode() <= config.realFileRatio() * negativeBytes;
            seconds = Duration.between(previous.at(), now).toNanos() / 1e9;
        }
        Instant windowStart = now.minus(config.window());

        // What all followed pod and host cgroups grew by in this interval, together.
        long cgroupsGrowth = 0;
        if (previous != null && negativeBytes >= config.minimumIntervalBytes()) {
            for (CgroupMemory m : obs.cgroups().value().cgroups()) {
                Tracked old = state.cgroups().get(m.identity().path());
                if (m.identity().kind() != CgroupIdentity.Kind.CONTAINER && old != null) {
                    cgroupsGrowth += Math.max(0, m.kernelMemoryBytes() - old.lastBytes());
                }
            }
        }
        Map<String, CgroupMemory> containersByPod = new HashMap<>();
        Map<String, Tracked> next = new HashMap<>();
        List<Offender> candidates = new ArrayList<>();
        for (CgroupMemory m : obs.cgroups().value().cgroups()) {
            CgroupIdentity id = m.identity();
            if (id.kind() == CgroupIdentity.Kind.CONTAINER) {
                containersByPod.merge(id.podUid(), m, (a, b) -> a.kernelMemoryBytes() >= b.kernelMemoryBytes() ? a : b);
                continue;
            }
            long bytes = m.kernelMemoryBytes();
            Tracked old = state.cgroups().get(id.path());
            Tracked t;
            if (old == null || previous == null || old.lastBytes() - bytes >= config.minimumBytes()) {
                // New, or it lost at least a flood's worth of kernel memory at once (a reclaim of its
                // cgroup, or its flood's directory removed): its evidence starts again from here, so
                // that a flooder that goes on after a reclaim is named again from its next samples
                // instead of only once the drop has left the window.
                t = new Tracked(id, bytes, node, bytes, List.of(), 0, 0, 0);
            } else {
                List<Interval> recent = new ArrayList<>();
                for (Interval i : old.recent()) {
                    if (i.end().isAfter(windowStart)) {
                        recent.add(i);
                    }
                }
                long growth = bytes - old.lastBytes();
                long cleanSince = old.cleanSince();
                long mixedSince = old.mixedSince();
                long cgroupsSince = old.cgroupsSince();
                if (negativeBytes >= config.minimumIntervalBytes()) {
                    recent.add(new Interval(now, seconds, old.lastBytes(), previous.negatives(), growth, negativeBytes, clean, cgroupsGrowth));
                    cgroupsSince += cgroupsGrowth;
                    if (clean) {
                        cleanSince += growth;
                    } else {
                        mixedSince += growth;
                    }
                }
                t = new Tracked(id, old.first(), old.nodeAtFirst(), bytes, recent, cleanSince, mixedSince, cgroupsSince);
            }
            next.put(id.path(), t);
            Offender o = score(t, node, config);
            if (o != null) {
                candidates.add(o);
            }
        }
        candidates.sort(Comparator.comparingInt((Offender o) -> o.confidence().strength()).reversed()
                .thenComparing(Comparator.comparingDouble(Offender::share).reversed())
                .thenComparing(Comparator.comparingLong(Offender::kernelMemoryBytes).reversed()));
        List<Offender> top = new ArrayList<>();
        for (Offender o : candidates.subList(0, Math.min(config.topK(), candidates.size()))) {
            CgroupMemory container = o.podUid() == null ? null : containersByPod.get(o.podUid());
            top.add(container == null ? o : new Offender(o.cgroup(), o.kind(), o.podUid(), container.identity().containerId(),
                    o.kernelMemoryBytes(), o.growthBytesPerSecond(), o.share(), o.confidence(), o.reason()));
        }
        return new Result(top, new OffenderState(node, next));
    }

    private record Evidence(double explained, Confidence confidence, String reason) {}

    private static Offender score(Tracked t, NodePoint node, OffenderConfig config) {
        List<Evidence> evidence = new ArrayList<>();
        long cleanGrowth = 0;
        long mixedGrowth = 0;
        long budget = 0;
        long cgroupsGrowth = 0;
        double seconds = 0;
        for (Interval i : t.recent()) {
            cgroupsGrowth += i.cgroupsGrowth();
            if (i.clean()) {
                cleanGrowth += i.growth();
            } else {
                mixedGrowth += i.growth();
            }
            budget += i.negativeBytes();
            seconds += i.seconds();
        }
        Double growthPerSecond = seconds > 0 ? (cleanGrowth + mixedGrowth) / seconds : null;
        if (!t.recent().isEmpty()) {
            // Capped by net figures over the window: dentries freed since (the flood's directory
            // removed) free the suspect too.
            Interval oldest = t.recent().get(0);
            long net = t.lastBytes() - oldest.startBytes();
            long netBudget = (node.negatives() - oldest.startNegatives()) * config.bytesPerDentry();
            long growth = cleanGrowth + mixedGrowth;
            if (growth > 0 && net < growth) {
                double keep = Math.max(0, net) / (double) growth;
                cleanGrowth = Math.round(cleanGrowth * keep);
                mixedGrowth = Math.round(mixedGrowth * keep);
            }
            budget = Math.min(budget, netBudget);
            add(evidence, judge("in the last " + Math.round(seconds) + " s", cleanGrowth, mixedGrowth, budget, cgroupsGrowth, config));
        }

        long negativesSince = node.negatives() - t.nodeAtFirst().negatives();
        long netGrowth = t.lastBytes() - t.first();
        long sinceBudget = negativesSince * config.bytesPerDentry();
        long floodGrowth = t.cleanSince() + t.mixedSince();
        if (netGrowth > 0 && floodGrowth > 0) {
            // Only growth in flood intervals counts (files made earlier are not negatives), and no more
            // than the net growth, so that freed dentries free the suspect too.
            long growth = Math.min(netGrowth, floodGrowth);
            long clean = Math.min(growth, Math.max(0, t.cleanSince()));
            double since = Duration.between(t.nodeAtFirst().at(), node.at()).toSeconds();
            add(evidence, judge("since first seen " + Math.round(since) + " s ago", clean, growth - clean, sinceBudget, t.cgroupsSince(),
                    config));
        }
        add(evidence, before(t.first(), t.nodeAtFirst().negatives(), config));
        Evidence best = evidence.stream()
                .max(Comparator.comparingInt((Evidence e) -> e.confidence().strength()).thenComparingDouble(Evidence::explained))
                .orElse(null);
        if (best == null || best.explained() < config.minimumShare()) {
            return null;
        }
        CgroupIdentity id = t.identity();
        return new Offender(id.path(), id.kind() == CgroupIdentity.Kind.HOST ? "host" : "pod", id.podUid(), null,
                t.lastBytes(), growthPerSecond, best.explained(), best.confidence(), best.reason());
    }

    private static void add(List<Evidence> list, Evidence e) {
        if (e != null) {
            list.add(e);
        }
    }

    /**
     * Growth in flood intervals against the negatives' memory over the same intervals, or against what
     * all cgroups grew by in them where that is more.
     */
    private static Evidence judge(String span, long cleanGrowth, long mixedGrowth, long negativeBytes, long cgroupsGrowth,
                                  OffenderConfig config) {
        long growth = cleanGrowth + mixedGrowth;
        if (negativeBytes < config.minimumBytes() || growth <= 0) {
            return null;
        }
        double whole = Math.max(negativeBytes, cgroupsGrowth);
        double explained = Math.min(1.0, growth / whole);
        double cleanExplained = Math.min(1.0, Math.max(0, cleanGrowth) / whole);
        Confidence c = cleanExplained >= config.highShare() ? Confidence.HIGH
                : explained >= config.mediumShare() ? Confidence.MEDIUM : Confidence.LOW;
        String reason = String.format(Locale.ROOT, "kernel memory +%s %s explains %.0f%% of the node's %,d new negative dentries (%s at %d bytes each)",
                HumanReadable.bytes(growth), span, explained * 100, negativeBytes / config.bytesPerDentry(), HumanReadable.bytes(negativeBytes), config.bytesPerDentry());
        if (cgroupsGrowth > negativeBytes) {
            reason += String.format(Locale.ROOT, "; the followed cgroups grew by %s in all, and it has %.0f%% of that",
                    HumanReadable.bytes(cgroupsGrowth), 100.0 * growth / cgroupsGrowth);
        }
        if (explained >= config.highShare() && c != Confidence.HIGH) {
            reason += String.format(Locale.ROOT, "; %.0f%% of that grew while the node also made real files (inodes), so it cannot be told apart per cgroup",
                    100.0 * Math.max(0, mixedGrowth) / growth);
        }
        return new Evidence(explained, c, reason);
    }

    /** Memory held when first seen against negatives the node already had: a flood before the probe started. */
    private static Evidence before(long heldBytes, long negativesThen, OffenderConfig config) {
        long negativeBytes = negativesThen * config.bytesPerDentry();
        if (negativeBytes < config.minimumBytes() || heldBytes <= 0) {
            return null;
        }
        double explained = Math.min(1.0, heldBytes / (double) negativeBytes);
        Confidence c = explained >= config.highShare() ? Confidence.MEDIUM : Confidence.LOW;
        String reason = String.format(Locale.ROOT, "held %s of kernel memory when first seen, %.0f%% of what the node's %,d negative dentries"
                        + " then took; that flood predates the probe and held bytes cannot be told from other kernel memory",
                HumanReadable.bytes(heldBytes), explained * 100, negativesThen);
        return new Evidence(explained, c, reason);
    }

}
