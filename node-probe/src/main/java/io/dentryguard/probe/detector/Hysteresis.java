package io.dentryguard.probe.detector;

import io.dentryguard.api.v1alpha1.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * Raises a level only after {@code raiseAfter} consecutive samples above it, and lowers it only
 * after {@code clearAfter} consecutive samples below it, so that one noisy sample neither alarms nor
 * clears. Immutable: {@link #next} returns the new state.
 *
 * <p>Before the first measured sample there is no level to defend, so the first sample sets it: a
 * probe started on an already flooded node says so at once instead of claiming Healthy first. That
 * first sample's level comes from the chain length (a count, not a noisy timing) unless the canary
 * baseline survived a restart.
 *
 * @param level  the level in force, null before the first measured sample
 * @param recent the latest candidate levels, newest last, at most max(raiseAfter, clearAfter)
 */
public record Hysteresis(Verdict level, List<Verdict> recent) {

    public Hysteresis {
        if (level == Verdict.UNKNOWN) {
            throw new IllegalArgumentException("hysteresis holds measured levels only");
        }
        recent = List.copyOf(recent);
    }

    /** No sample seen yet. */
    public static Hysteresis start() {
        return new Hysteresis(null, List.of());
    }

    /** An established level, as if it had been held for a while. */
    public static Hysteresis at(Verdict level) {
        return new Hysteresis(level, List.of());
    }

    public Hysteresis next(Verdict candidate, int raiseAfter, int clearAfter) {
        if (candidate == Verdict.UNKNOWN) {
            throw new IllegalArgumentException("an unknown sample is not a candidate level");
        }
        List<Verdict> window = new ArrayList<>(recent);
        window.add(candidate);
        int keep = Math.max(raiseAfter, clearAfter);
        while (window.size() > keep) {
            window.remove(0);
        }
        Verdict newLevel = level;
        if (level == null) {
            newLevel = candidate;
        } else if (window.size() >= raiseAfter && allAbove(tail(window, raiseAfter), level)) {
            // Rise to what every one of those samples reached, not to the highest one.
            newLevel = tail(window, raiseAfter).stream().reduce((a, b) -> a.severity() <= b.severity() ? a : b).orElseThrow();
        } else if (window.size() >= clearAfter && allBelow(tail(window, clearAfter), level)) {
            newLevel = tail(window, clearAfter).stream().reduce(Verdict::worst).orElseThrow();
        }
        return new Hysteresis(newLevel, window);
    }

    private static List<Verdict> tail(List<Verdict> list, int n) {
        return list.subList(list.size() - n, list.size());
    }

    private static boolean allAbove(List<Verdict> vs, Verdict level) {
        return vs.stream().allMatch(v -> v.worseThan(level));
    }

    private static boolean allBelow(List<Verdict> vs, Verdict level) {
        return vs.stream().allMatch(level::worseThan);
    }
}
