package io.dentryguard.demo.story;

import io.dentryguard.demo.story.StorySnapshot.Offender;
import io.dentryguard.demo.story.StorySnapshot.Outcome;
import io.dentryguard.demo.story.StorySnapshot.PodView;
import io.dentryguard.demo.story.StorySnapshot.Remediation;
import io.dentryguard.demo.story.StorySnapshot.Request;
import io.dentryguard.demo.story.TimelineEntry.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What changed between two looks at the cluster, as timeline lines: the pure half of the demo's
 * watcher. Each change is said once, with the figures that explain it.
 */
public final class StoryChanges {
    private StoryChanges() {}

    /** A change to put on the timeline. */
    public record Change(Event event, String message, Map<String, Object> fields) {}

    /**
     * The changes from {@code before} (null at the first look) to {@code now}. Pods that were seen
     * before and are gone now, or newly bound, are told too; a pod first seen already bound is the
     * demo's own start, not a replacement, unless a pod of the same owner was removed before it.
     */
    public static List<Change> between(StorySnapshot before, StorySnapshot now, Set<String> ownersWithRemovedPods) {
        List<Change> changes = new ArrayList<>();
        StorySnapshot b = before != null ? before : new StorySnapshot(null, List.of(), null, null, null, null, false, null, null, null,
                null, List.of());
        verdict(b, now, changes);
        taint(b, now, changes);
        offender(b, now, changes);
        request(b, now, changes);
        outcome(b, now, changes);
        eviction(b, now, changes);
        pods(b, now, ownersWithRemovedPods, changes);
        return changes;
    }

    private static void verdict(StorySnapshot b, StorySnapshot now, List<Change> changes) {
        if (now.verdict() == null || now.verdict().equals(b.verdict())) {
            return;
        }
        Map<String, Object> f = fields("from", b.verdict(), "to", now.verdict(), "chainLength", now.chainLength(),
                "negativeDentries", now.negativeDentries(), "dentrySlabBytes", now.dentrySlabBytes(), "reasons", now.reasons());
        String why = now.reasons().isEmpty() ? "" : " (" + String.join("; ", now.reasons()) + ")";
        changes.add(new Change(Event.VERDICT_CHANGED, String.format(Locale.ROOT, "verdict %s -> %s: chain %s, %s negative dentries, %s of dentry slab%s",
                Objects.requireNonNullElse(b.verdict(), "none"), now.verdict(), chain(now.chainLength()), count(now.negativeDentries()),
                bytes(now.dentrySlabBytes()), why), f));
        if ("Healthy".equals(now.verdict()) && b.verdict() != null && !"Healthy".equals(b.verdict()) && !"Unknown".equals(b.verdict())) {
            changes.add(new Change(Event.RECOVERED, String.format(Locale.ROOT, "node recovered: chain %s, %s negative dentries",
                    chain(now.chainLength()), count(now.negativeDentries())), f));
        }
    }

    private static void taint(StorySnapshot b, StorySnapshot now, List<Change> changes) {
        if (now.tainted() && !b.tainted()) {
            changes.add(new Change(Event.TAINT_ADDED, "taint added to the host's Node: " + now.taint() + " (new pods stay off it)",
                    fields("taint", now.taint())));
        } else if (!now.tainted() && b.tainted()) {
            changes.add(new Change(Event.TAINT_REMOVED, "taint removed from the host's Node: " + b.taint(), fields("taint", b.taint())));
        }
    }

    private static void offender(StorySnapshot b, StorySnapshot now, List<Change> changes) {
        Offender o = now.topOffender();
        if (o == null) {
            return;
        }
        Offender was = b.topOffender();
        // Said when another pod is named, or when the same one becomes High again: the probe may call it Medium for a
        // sample right after a reclaim (its evidence starts afresh), which is no news.
        boolean samePod = was != null && Objects.equals(was.podUid(), o.podUid());
        if (samePod && (!"High".equals(o.confidence()) || "High".equals(was.confidence()))) {
            return;
        }
        changes.add(new Change(Event.OFFENDER_NAMED, String.format(Locale.ROOT, "offender named: %s, confidence %s, share %s%s", o.display(),
                o.confidence(), o.share() == null ? "?" : String.format(Locale.ROOT, "%.2f", o.share()),
                o.reason() == null ? "" : " (" + o.reason() + ")"),
                fields("pod", o.display(), "podUid", o.podUid(), "confidence", o.confidence(), "share", o.share(), "reason", o.reason())));
    }

    private static void request(StorySnapshot b, StorySnapshot now, List<Change> changes) {
        Request r = now.reclaimRequest();
        if (r == null || r.id() == null || (b.reclaimRequest() != null && r.id().equals(b.reclaimRequest().id()))) {
            return;
        }
        String target = "Node".equals(r.scope()) ? "the whole node (drop_caches)"
                : r.podNamespace() != null ? "pod " + r.podNamespace() + "/" + r.podName() : "pod " + r.podUid();
        changes.add(new Change(Event.RECLAIM_REQUESTED, "operator asks the probe to reclaim " + target + " (request " + r.id() + ")",
                fields("id", r.id(), "scope", r.scope(), "pod", r.podName() == null ? null : r.podNamespace() + "/" + r.podName(), "podUid", r.podUid())));
    }

    private static void outcome(StorySnapshot b, StorySnapshot now, List<Change> changes) {
        Outcome o = now.reclaimOutcome();
        if (o == null || o.id() == null || o.result() == null) {
            return;
        }
        Outcome was = b.reclaimOutcome();
        if (was != null && o.id().equals(was.id()) && o.result().equals(was.result())) {
            return;
        }
        String effect = "Done".equals(o.result())
                ? String.format(Locale.ROOT, "freed %s negative dentries (%s) in %.1f s", count(o.freedNegativeDentries()), bytes(o.freedBytes()),
                Objects.requireNonNullElse(o.durationSeconds(), 0.0))
                : Objects.requireNonNullElse(o.message(), "no reason given");
        changes.add(new Change(Event.RECLAIM_ANSWERED, "probe answered request " + o.id() + ": " + o.result() + ", " + effect,
                fields("id", o.id(), "result", o.result(), "freedNegativeDentries", o.freedNegativeDentries(), "freedBytes", o.freedBytes(),
                        "durationSeconds", o.durationSeconds(), "message", o.message())));
    }

    private static void eviction(StorySnapshot b, StorySnapshot now, List<Change> changes) {
        Remediation r = now.remediation();
        if (r == null || r.evictedAt() == null || (b.remediation() != null && r.evictedAt().equals(b.remediation().evictedAt()))) {
            return;
        }
        changes.add(new Change(Event.EVICTED, "operator evicted " + r.evictedPod() + " through the Eviction API (" + r.evictedWorkload()
                + "; " + r.message() + ")", fields("pod", r.evictedPod(), "workload", r.evictedWorkload(), "at", r.evictedAt())));
    }

    private static void pods(StorySnapshot b, StorySnapshot now, Set<String> ownersWithRemovedPods, List<Change> changes) {
        Map<String, PodView> was = b.pods().stream().collect(Collectors.toMap(PodView::uid, p -> p, (x, y) -> x, LinkedHashMap::new));
        Set<String> nowUids = now.pods().stream().map(PodView::uid).collect(Collectors.toSet());
        Set<String> replaced = new java.util.HashSet<>(ownersWithRemovedPods);
        for (PodView gone : was.values()) {
            if (!nowUids.contains(gone.uid())) {
                replaced.add(gone.owner());
                changes.add(new Change(Event.POD_REMOVED, "pod " + gone.name() + " removed from " + gone.node() + " (container and pod cgroup gone)",
                        fields("pod", gone.name(), "owner", gone.owner(), "node", gone.node())));
            }
        }
        // The real API server keeps an evicted pod, marked, until its kubelet has removed it: its replacement may come first.
        now.pods().stream().filter(PodView::deleting).forEach(p -> replaced.add(p.owner()));
        for (PodView p : now.pods()) {
            PodView earlier = was.get(p.uid());
            boolean newlyBound = p.node() != null && (earlier == null || earlier.node() == null);
            if (newlyBound && replaced.contains(p.owner())) {
                changes.add(new Change(Event.REPLACEMENT_PLACED, "replacement " + p.name() + " of " + p.owner() + " placed on " + p.node(),
                        fields("pod", p.name(), "owner", p.owner(), "node", p.node())));
            }
        }
    }

    /** Pairs of name and value, in order; null values left out (JSON lines stay short). */
    public static Map<String, Object> fields(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                m.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return m;
    }

    static String chain(Double chain) {
        return chain == null ? "?" : String.format(Locale.ROOT, "%.3f", chain);
    }

    static String count(Long n) {
        return n == null ? "?" : String.format(Locale.ROOT, "%,d", n);
    }

    static String bytes(Long n) {
        return n == null ? "?" : io.dentryguard.demo.host.ByteSize.format(n);
    }
}
