package io.dentryguard.operator.reconcile;

import io.dentryguard.operator.apply.NodeReader;
import io.fabric8.kubernetes.api.model.Node;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * How many nodes there are and how many carry the operator's taint, for the ceiling. Read from the
 * Node cache, corrected by the operator's own taint writes that the cache has not shown yet: many
 * nodes reporting at once are reconciled in parallel, and each would otherwise count the others'
 * new taints as absent and pass the ceiling together. Decisions that may add a taint hold this
 * ledger's lock from the count to the write.
 */
final class TaintLedger {
    record Count(int nodes, int tainted) {}

    private final Supplier<Stream<Node>> cachedNodes;
    private final Map<String, Boolean> unseenWrites = new HashMap<>();

    TaintLedger(Supplier<Stream<Node>> cachedNodes) {
        this.cachedNodes = cachedNodes;
    }

    synchronized Count count() {
        int[] nodes = {0};
        int[] tainted = {0};
        cachedNodes.get().forEach(n -> {
            nodes[0]++;
            boolean cached = NodeReader.ourTaint(n).isPresent();
            Boolean written = unseenWrites.get(n.getMetadata().getName());
            if (written != null && written == cached) {
                unseenWrites.remove(n.getMetadata().getName());
            }
            if (written != null ? written : cached) {
                tainted[0]++;
            }
        });
        return new Count(nodes[0], tainted[0]);
    }

    synchronized void written(String node, boolean tainted) {
        unseenWrites.put(node, tainted);
    }
}
