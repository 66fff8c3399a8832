package io.dentryguard.demo.story;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The victim's loop times, by phase of the story: the figure that matters to the victim's owner.
 * While the demo starts (its own programs' start-up competes for the cores: not counted), before the
 * flood, during it (from its start until the node is Healthy again), while the node settles (until
 * the taint is off), and after.
 */
public final class VictimLoops {
    public enum Phase { STARTING, BEFORE, DURING, SETTLING, AFTER }

    /** The median of the last this many loops is "the victim's loop time now". */
    static final int RECENT = 5;

    private final Map<Phase, List<Double>> byPhase = new EnumMap<>(Phase.class);
    private final List<Double> recent = new ArrayList<>();
    /** Loops that ended while the node was Degraded or worse: the flood at its height, where the victim's owner notices. */
    private final List<Double> atHeight = new ArrayList<>();
    private Phase phase = Phase.STARTING;
    private boolean nodeAtHeight;

    public VictimLoops() {
        for (Phase p : Phase.values()) {
            byPhase.put(p, new ArrayList<>());
        }
    }

    public synchronized void add(double loopMillis) {
        byPhase.get(phase).add(loopMillis);
        if (nodeAtHeight && phase == Phase.DURING) {
            atHeight.add(loopMillis);
        }
        recent.add(loopMillis);
        if (recent.size() > RECENT) {
            recent.remove(0);
        }
    }

    /** Whether the node is now Degraded or worse (the probe's last verdict). */
    public synchronized void atHeight(boolean degraded) {
        nodeAtHeight = degraded;
    }

    /** The {@code pct}th percentile of the loops while the node was Degraded or worse during the flood, null when none. */
    public synchronized Double percentileAtHeight(int pct) {
        return atHeight.isEmpty() ? null : percentile(atHeight, pct);
    }

    public synchronized void enter(Phase next) {
        phase = next;
    }

    public synchronized Phase phase() {
        return phase;
    }

    /** Median of the last loops, null before the first. */
    public synchronized Double recentMillis() {
        return recent.isEmpty() ? null : percentile(recent, 50);
    }

    public synchronized int count(Phase p) {
        return byPhase.get(p).size();
    }

    /** The {@code pct}th percentile of a phase's loops (nearest rank), null when it has none. */
    public synchronized Double percentile(Phase p, int pct) {
        List<Double> loops = byPhase.get(p);
        return loops.isEmpty() ? null : percentile(loops, pct);
    }

    static double percentile(List<Double> values, int pct) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int rank = (int) Math.ceil(pct / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
