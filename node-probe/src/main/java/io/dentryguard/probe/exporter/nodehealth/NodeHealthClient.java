package io.dentryguard.probe.exporter.nodehealth;

import io.dentryguard.api.patch.StatusFieldsPatch;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    /** A client for {@code node}'s NodeHealth through the pod's service account, else the current kubeconfig. */
    public static NodeHealthClient connect(String node) {
        // fabric8 would retry failed requests itself, for up to a minute; the reporter backs off instead.
        Config config = new ConfigBuilder(Config.autoConfigure(null)).withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(5_000).withRequestTimeout(10_000).build();
        return new NodeHealthClient(new KubernetesClientBuilder().withConfig(config).build(), node);
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

    /** Sets the probe's status fields and no others: the operator writes its own in the same status. */
    public void writeStatus(Map<String, Object> fields, boolean statusExists) {
        StatusFieldsPatch.write(client, node, fields, Set.of(), statusExists);
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
