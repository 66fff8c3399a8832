package io.dentryguard.probe.exporter.nodehealth;

import io.dentryguard.api.v1alpha1.ReclaimOutcome;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dentryguard.api.patch.StatusFieldsPatch;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The probe's calls to the API server, for its own node's NodeHealth only: create it (owned by the
 * Node, so it goes when the Node goes), read it back, and patch the probe's own status fields.
 */
public class NodeHealthClient {
    private static final String METADATA_ONLY = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
    private static final ObjectMapper JSON = new ObjectMapper();
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

    /**
     * Watches this node's NodeHealth only (a field selector on its name, never every node's), handing
     * each version of it to {@code seen}; the informer keeps retrying while the API server is away.
     * Closing the returned informer stops it.
     */
    public SharedIndexInformer<NodeHealth> watchOwn(Consumer<NodeHealth> seen) {
        SharedIndexInformer<NodeHealth> informer = client.resources(NodeHealth.class).withName(node).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(NodeHealth nh) {
                seen.accept(nh);
            }

            @Override
            public void onUpdate(NodeHealth before, NodeHealth nh) {
                seen.accept(nh);
            }

            @Override
            public void onDelete(NodeHealth nh, boolean finalStateUnknown) {
                // The reporter creates it again; the new one is an add.
            }
        });
        informer.exceptionHandler((started, t) -> true);
        informer.start();
        return informer;
    }

    /** Sets status.reclaimOutcome alone. */
    public void writeReclaimOutcome(ReclaimOutcome outcome, boolean statusExists) {
        StatusFieldsPatch.write(client, node, StatusFields.reclaimOutcome(outcome), Set.of(), statusExists);
    }

    public Optional<NodeHealthStatus> readStatus() {
        NodeHealth nh = client.resources(NodeHealth.class).withName(node).get();
        return Optional.ofNullable(nh).map(NodeHealth::getStatus);
    }

    /** Sets the probe's status fields and no others: the operator writes its own in the same status. */
    public void writeStatus(Map<String, Object> fields, boolean statusExists) {
        StatusFieldsPatch.write(client, node, fields, Set.of(), statusExists);
    }

    /**
     * namespace/name of the pods on this node, by pod UID. Asks for their metadata only (a
     * PartialObjectMetadataList, which a real API server sends instead of whole pods) and reads it
     * as a plain JSON tree: typed {@code Pod}s loaded 540 classes and kept 4.7 MiB of heap for 110
     * pods, 15 MB of resident set on every node that names an offender (bench/README.md).
     */
    public Map<String, String> podsOnNode() {
        String url = client.getMasterUrl().toString().replaceAll("/+$", "") + "/api/v1/pods?fieldSelector="
                + URLEncoder.encode("spec.nodeName=" + node, StandardCharsets.UTF_8);
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder().uri(url)
                .header("Accept", METADATA_ONLY + ", application/json").build();
        HttpResponse<byte[]> response;
        try {
            response = client.getHttpClient().sendAsync(request, byte[].class).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the pods on " + node, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("GET " + url + ": " + e.getMessage(), e);
        }
        if (!response.isSuccessful()) {
            throw new IllegalStateException("GET " + url + ": HTTP " + response.code());
        }
        return podNamesByUid(response.body());
    }

    static Map<String, String> podNamesByUid(byte[] list) {
        JsonNode items;
        try {
            items = JSON.readTree(list).path("items");
        } catch (IOException e) {
            throw new IllegalStateException("the pod list does not read as JSON: " + e.getMessage(), e);
        }
        Map<String, String> byUid = new HashMap<>();
        for (JsonNode pod : items) {
            JsonNode meta = pod.path("metadata");
            if (meta.path("uid").isTextual() && meta.path("name").isTextual()) {
                byUid.put(meta.path("uid").asText(), meta.path("namespace").asText("") + "/" + meta.path("name").asText());
            }
        }
        return byUid;
    }
}
