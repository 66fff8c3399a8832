package io.dentryguard.demo.guard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The probe's and the operator's settings for a demonstration: the production defaults (chain 2.5 for
 * Degraded, ~10.5M dentries on a 4M-bucket host; a 15-minute escalation; a 5-minute hold-down) would
 * take a quarter of an hour and gigabytes to show, so the thresholds are scaled to the flood's size
 * limit and this host's dentries before the flood, and the waits shortened. Everything else (the
 * detector, the offender scoring, the ladder and its guard rails) is the product's own.
 *
 * <p>The flood is paced at {@link #floodNamesPerSecond}: it reaches Degraded about 25 s after it starts
 * and its limit only after about {@link #FLOOD_SECONDS_TO_LIMIT} s, so that the ladder's reclaims keep
 * it well below the limit and the limit stays a safety rail, not part of the story.
 */
public record DemoSettings(long hashBuckets, long baselineDentries, long limitDentries, double dentriesPerName) {
    /** Seconds the paced flood would take to reach its limit with nothing freed. */
    public static final int FLOOD_SECONDS_TO_LIMIT = 50;
    /** Share of the limit above the baseline where the probe says Warning (its growth rule says it earlier). */
    static final double WARNING_SHARE = 0.15;
    /**
     * ... Degraded: the taint, the eviction and the node rung start here. Half the limit: the victim's
     * lookups slow by only ~10-20% at chain 1.5 (6M negatives, measured), so the story lets the flood
     * grow that far before it acts.
     */
    static final double DEGRADED_SHARE = 0.5;
    /** ... Critical: not part of the story, but the thresholds must rise. */
    static final double CRITICAL_SHARE = 0.95;
    /** The probe's sample interval: 2 s instead of 5 s, so that hysteresis (2 samples up, 3 down) takes seconds. */
    public static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);

    public DemoSettings {
        if (hashBuckets <= 0 || baselineDentries < 0 || limitDentries <= 0 || dentriesPerName <= 0) {
            throw new IllegalArgumentException("hash buckets, the limit and dentries per name must be positive, the baseline not negative");
        }
    }

    public double warningChain() {
        return chainAt(WARNING_SHARE);
    }

    public double degradedChain() {
        return chainAt(DEGRADED_SHARE);
    }

    public double criticalChain() {
        return chainAt(CRITICAL_SHARE);
    }

    /** Dentries above the baseline at which the probe says Degraded. */
    public long degradedExtraDentries() {
        return Math.round(limitDentries * DEGRADED_SHARE);
    }

    private double chainAt(double shareOfLimit) {
        // Rounded up to the probe's 3 decimals, so that the threshold is never below the share asked for.
        double chain = (baselineDentries + limitDentries * shareOfLimit) / hashBuckets;
        return Math.ceil(chain * 1000) / 1000;
    }

    /** Names a second for the offender's paced flood. */
    public long floodNamesPerSecond() {
        return Math.max(1, Math.round(limitDentries / dentriesPerName / FLOOD_SECONDS_TO_LIMIT));
    }

    /**
     * How long after a reclaim the operator looks whether the pod floods again: long enough for the
     * paced flood to take the node back to Degraded (its share of the limit) and for the probe to raise
     * it (two samples), with room to spare.
     */
    public Duration verifyAfter() {
        return Duration.ofSeconds(Math.round(FLOOD_SECONDS_TO_LIMIT * DEGRADED_SHARE) + 10);
    }

    /**
     * How long the node is flooded before the node-wide rung: after the two pod reclaims and the
     * eviction, each {@link #verifyAfter} apart, so that the rung comes when an eviction did not heal
     * the node, as the story tells it.
     */
    public Duration escalateAfter() {
        return verifyAfter().multipliedBy(2).plusSeconds(40);
    }

    /** The probe's detector settings file ({@code --config}). */
    public String probeConfig() {
        return String.format(Locale.ROOT, """
                # dentry-guard demo: thresholds scaled to a flood limit of %,d dentries above %,d before it,
                # on %,d hash buckets (production defaults: 1.0 / 2.5 / 8.0).
                chainLength.warning=%.3f
                chainLength.degraded=%.3f
                chainLength.critical=%.3f
                # The lookup baseline is learned only below this chain, which must stay below Warning's.
                baselineMaxChainLength=%.3f
                """, limitDentries, baselineDentries, hashBuckets, warningChain(), degradedChain(), criticalChain(),
                Math.max(0.001, Math.floor(warningChain() * 500) / 1000));
    }

    /** The probe's flags after {@code probe}, for a node named {@code node}. */
    public List<String> probeArguments(String node, String configFile, String stateDir) {
        return new ArrayList<>(List.of("--report-node-health", "--node", node, "--config", configFile, "--state-dir", stateDir,
                "--interval", PROBE_INTERVAL.toSeconds() + "s",
                // The canary needs 90 s of baseline before it says anything: the chain tells this story alone.
                "--no-canary",
                // The pods are listed again every 3rd sample (6 s): a replacement pod is seen soon.
                "--cgroup-rescan-every", "3",
                "--reclaim-pods", "--reclaim-node", "--json"));
    }

    /** The operator's settings file ({@code --config}). */
    public String operatorConfig(String eventNamespace) {
        return String.format(Locale.ROOT, """
                # dentry-guard demo: the ladder on, every rung, and waits shortened (docs/remediation.md#settings).
                hold-down=15s
                resync=10s
                event-namespace=%s
                leader-election=false
                metrics-port=0
                remediation.reclaim-pods=true
                remediation.evict=true
                remediation.reclaim-node=true
                # From Degraded, so that the taint comes first and the pod rung is seen twice before the eviction.
                remediation.reclaim-from=Degraded
                remediation.verify-after=%ds
                # After both pod reclaims and the eviction (each verify-after apart), so that the node rung comes last.
                remediation.escalate-after=%ds
                remediation.reclaim-timeout=1m
                """, eventNamespace, verifyAfter().toSeconds(), escalateAfter().toSeconds());
    }
}
