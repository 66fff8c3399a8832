package io.dentryguard.probe.exporter.nodehealth;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The probe's calls to the API server, for its own node's NodeHealth only: create it (owned by the
 * Node, so it goes when the Node goes), read it back, and patch the probe's own status fields.
 */
public class NodeHealthClient {
    private final KubernetesClient client;
    private final String node;

    public NodeHealthClient(KubernetesClient client, String node) {
        this.client = client;
        this.node = node;
    }

    public String node() {
        return node;
    }

    /** The NodeHealth as stored, creating it first if there is none. */
    public NodeHealth ensureExists() {
        NodeHealth existing = client.resources(NodeHealth.class).withName(node).get();
        if (existing != null) {
            return existing;
        }
        Node n = client.nodes().withName(node).get();
        if (n == null) {
            throw new IllegalStateException("there is no Node named " + node + " (is NODE_NAME set from spec.nodeName?)");
        }
        NodeHealth nh = new NodeHealth();
        nh.getMetadata().setName(node);
        nh.getMetadata().setOwnerReferences(java.util.List.of(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                .withName(node).withUid(n.getMetadata().getUid()).build()));
        try {
            return client.resource(nh).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                // Created meanwhile (a previous attempt whose answer was lost): use that one.
                return client.resources(NodeHealth.class).withName(node).require();
            }
            throw e;
        }
    }

    public Optional<NodeHealthStatus> readStatus() {
        NodeHealth nh = client.resources(NodeHealth.class).withName(node).get();
        return Optional.ofNullable(nh).map(NodeHealth::getStatus);
    }

    /**
     * Sets the given status fields and no others: the operator writes its own fields in the same
     * status. A JSON patch sets each field; when there is no status yet a merge patch creates it
     * (a JSON patch could only create /status whole, erasing what the operator wrote meanwhile).
     */
    public void writeStatus(Map<String, Object> fields, boolean statusExists) {
        // Through an object, not withName(node): fabric8 7.5 reads the object before patching it by
        // name, which doubled the probe's requests.
        NodeHealth target = new NodeHealth();
        target.getMetadata().setName(node);
        var status = client.resources(NodeHealth.class).resource(target).subresource("status");
        if (!statusExists) {
            status.patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", fields)));
            return;
        }
        StringBuilder patch = new StringBuilder("[");
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            if (patch.length() > 1) {
                patch.append(',');
            }
            patch.append("{\"op\":\"add\",\"path\":\"/status/").append(f.getKey()).append("\",\"value\":")
                    .append(Serialization.asJson(f.getValue())).append('}');
        }
        status.patch(PatchContext.of(PatchType.JSON), patch.append(']').toString());
    }

    /** namespace/name of the pods on this node, by pod UID. */
    public Map<String, String> podsOnNode() {
        Map<String, String> byUid = new HashMap<>();
        for (Pod p : client.pods().inAnyNamespace().withField("spec.nodeName", node).list().getItems()) {
            byUid.put(p.getMetadata().getUid(), p.getMetadata().getNamespace() + "/" + p.getMetadata().getName());
        }
        return byUid;
    }
}
