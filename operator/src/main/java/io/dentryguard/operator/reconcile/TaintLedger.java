package io.dentryguard.operator.reconcile;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * How many nodes there are and how many carry the operator's taint, for the ceiling. Read from the
 * Node cache, corrected by the operator's own taint writes that the cache has not shown yet: many
 * nodes reporting at once are reconciled in parallel, and each would otherwise count the others'
 * new taints as absent and pass the ceiling together. Decisions that may add a taint hold this
 * ledger's lock from the count to the write.
 */
final class TaintLedger {
    record Count(int nodes, int tainted) {}

    private final IntSupplier cachedNodeCount;
    private final Supplier<Set<String>> cachedTainted;
    private final Map<String, Boolean> unseenWrites = new HashMap<>();
    private static final long COUNT_EVERY_NANOS = 1_000_000_000L;
    private int nodes;
    private long countedAt;

    /**
     * @param cachedNodeCount the number of Nodes in the cache
     * @param cachedTainted   the names of the cached Nodes that carry the taint (an index, not a scan:
     *                        a scan of 5,000 cached Nodes at every decision cost more CPU than the rest)
     */
    TaintLedger(IntSupplier cachedNodeCount, Supplier<Set<String>> cachedTainted) {
        this.cachedNodeCount = cachedNodeCount;
        this.cachedTainted = cachedTainted;
    }

    /**
     * Counting the cached Nodes walks all of them; at every decision that made a resync of 5,000
     * NodeHealths quadratic. The total changes slowly, so it is counted at most once a second.
     */
    private int nodeCount() {
        long now = System.nanoTime();
        if (countedAt == 0 || now - countedAt > COUNT_EVERY_NANOS) {
            nodes = cachedNodeCount.getAsInt();
            countedAt = now;
        }
        return nodes;
    }

    synchronized Count count() {
        Set<String> tainted = new HashSet<>(cachedTainted.get());
        unseenWrites.entrySet().removeIf(w -> tainted.contains(w.getKey()) == w.getValue());
        unseenWrites.forEach((node, written) -> {
            if (written) {
                tainted.add(node);
            } else {
                tainted.remove(node);
            }
        });
        return new Count(nodeCount(), tainted.size());
    }

    synchronized void written(String node, boolean tainted) {
        unseenWrites.put(node, tainted);
    }
}
