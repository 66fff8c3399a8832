package io.dentryguard.operator.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * The informer's store of Nodes, keeping of each only what deciding reads: the name, uid and
 * resourceVersion (the informer compares versions), the labels (the opt-out label), spec.taints and
 * status.conditions (the whole lists, as the API has them). A real Node is 10-30 KB of JSON, most of
 * it status.images, nodeInfo, managedFields and annotations; with thousands of Nodes those would
 * fill the operator's heap.
 *
 * <p>Nothing is written from the cache: before any write the reconciler reads the Node afresh, and
 * the writers test the whole taint list and the condition's index against that read. Indexers see
 * the whole Node as it arrives, and so do event handlers for what the watch brings after the first
 * list (the informer announces the Nodes of that list from the store, trimmed): the operator's
 * handler only maps a Node to its NodeHealth by name.
 */
final class NodeCacheTrim extends BasicItemStore<Node> {
    NodeCacheTrim() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public Node put(String key, Node node) {
        return super.put(key, trim(node));
    }

    /** A new Node with what the operator reads of {@code node}; the lists and the label map are shared, not copied. */
    static Node trim(Node node) {
        ObjectMeta meta = new ObjectMeta();
        meta.setName(node.getMetadata().getName());
        meta.setUid(node.getMetadata().getUid());
        meta.setResourceVersion(node.getMetadata().getResourceVersion());
        meta.setLabels(node.getMetadata().getLabels());
        Node trimmed = new Node();
        trimmed.setMetadata(meta);
        if (node.getSpec() != null) {
            NodeSpec spec = new NodeSpec();
            spec.setTaints(node.getSpec().getTaints());
            trimmed.setSpec(spec);
        }
        if (node.getStatus() != null) {
            NodeStatus status = new NodeStatus();
            status.setConditions(node.getStatus().getConditions());
            trimmed.setStatus(status);
        }
        return trimmed;
    }
}
