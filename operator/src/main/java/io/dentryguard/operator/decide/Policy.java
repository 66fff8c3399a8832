package io.dentryguard.operator.decide;

import io.dentryguard.api.v1alpha1.Verdict;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The operator's settings that the decision depends on.
 *
 * @param taintFrom            the taint effect per verdict; a verdict absent here means no taint
 * @param holdDown             how long a node must be Healthy before the taint comes off
 * @param heartbeat            the probe's heartbeat period
 * @param staleAfterHeartbeats a report older than this many heartbeats is stale
 * @param removeTaintWhenStale whether a stale report removes an existing taint (default: keep it)
 * @param dryRun               record and announce actions instead of taking them
 * @param maxTaintedFraction   ceiling on tainted nodes as a fraction of all nodes ...
 * @param minTaintedCeiling    ... but never below this many
 */
public record Policy(Map<Verdict, TaintEffect> taintFrom, Duration holdDown, Duration heartbeat, int staleAfterHeartbeats,
                     boolean removeTaintWhenStale, boolean dryRun, double maxTaintedFraction, int minTaintedCeiling) {

    public Policy {
        taintFrom = taintFrom.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(taintFrom));
        if (taintFrom.containsKey(Verdict.HEALTHY) || taintFrom.containsKey(Verdict.UNKNOWN)) {
            throw new IllegalArgumentException("taints can only follow Warning, Degraded or Critical");
        }
        if (holdDown.isNegative() || heartbeat.isNegative() || heartbeat.isZero() || staleAfterHeartbeats < 1
                || !(maxTaintedFraction >= 0 && maxTaintedFraction <= 1) || minTaintedCeiling < 0) {
            throw new IllegalArgumentException("invalid policy");
        }
    }

    public static Policy defaults() {
        return new Policy(Map.of(Verdict.DEGRADED, TaintEffect.NO_SCHEDULE, Verdict.CRITICAL, TaintEffect.NO_SCHEDULE),
                Duration.ofMinutes(5), Duration.ofMinutes(5), 3, false, false, 0.2, 1);
    }

    public Policy withDryRun(boolean on) {
        return new Policy(taintFrom, holdDown, heartbeat, staleAfterHeartbeats, removeTaintWhenStale, on, maxTaintedFraction,
                minTaintedCeiling);
    }

    public Policy withRemoveTaintWhenStale(boolean on) {
        return new Policy(taintFrom, holdDown, heartbeat, staleAfterHeartbeats, on, dryRun, maxTaintedFraction, minTaintedCeiling);
    }

    /** A report older than this is stale. */
    public Duration staleAfter() {
        return heartbeat.multipliedBy(staleAfterHeartbeats);
    }

    /** The most nodes the operator may have tainted at once in a cluster of {@code nodes}. */
    public int taintCeiling(int nodes) {
        return Math.max(minTaintedCeiling, (int) Math.floor(nodes * maxTaintedFraction));
    }
}
