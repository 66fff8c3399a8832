package io.dentryguard.operator.reconcile;

import io.dentryguard.api.patch.StatusFieldsPatch;
import io.dentryguard.api.testing.MockApiServer;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.decide.NodeDecision;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shared mock API server with the moves a probe and a cluster make: Nodes appear, probes report (patching only their own status
 * fields, as the real probe does).
 */
final class MockCluster implements AutoCloseable {
    final MockApiServer api = new MockApiServer();
    final KubernetesClient client = api.client;

    Node node(String name, Taint... foreign) {
        return client.nodes().resource(MockApiServer.nodeBuilder(name).editSpec().withTaints(foreign).endSpec().build()).create();
    }

    /** Requests that change a Node (spec or status). */
    long nodeMutations() {
        return api.requests.stream().filter(MockApiServer.Request::mutates).filter(r -> r.path().startsWith("/api/v1/nodes")).count();
    }

    /** What the probe writes: its own status fields only, by JSON patch; creates the NodeHealth first if needed. */
    void report(String node, Verdict verdict, Instant at) {
        NodeHealth nh = client.resources(NodeHealth.class).withName(node).get();
        if (nh == null) {
            nh = new NodeHealth();
            nh.getMetadata().setName(node);
            nh = client.resource(nh).create();
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("verdict", verdict);
        fields.put("reasons", List.of("average hash chain 4.800"));
        fields.put("lastReportTime", at.toString());
        StatusFieldsPatch.write(client, node, fields, Set.of(), nh.getStatus() != null);
    }

    NodeHealth nodeHealth(String node) {
        return client.resources(NodeHealth.class).withName(node).get();
    }

    Optional<Taint> ourTaint(String node) {
        List<Taint> taints = client.nodes().withName(node).get().getSpec().getTaints();
        return taints == null ? Optional.empty() : taints.stream().filter(t -> NodeDecision.TAINT_KEY.equals(t.getKey())).findFirst();
    }

    Optional<NodeCondition> ourCondition(String node) {
        return client.nodes().withName(node).get().getStatus().getConditions().stream()
                .filter(c -> NodeDecision.CONDITION_TYPE.equals(c.getType())).findFirst();
    }

    long taintedNodes() {
        return client.nodes().list().getItems().stream()
                .filter(n -> n.getSpec().getTaints() != null
                        && n.getSpec().getTaints().stream().anyMatch(t -> NodeDecision.TAINT_KEY.equals(t.getKey())))
                .count();
    }

    List<String> eventReasons() {
        return client.v1().events().inNamespace("default").list().getItems().stream().map(Event::getReason).toList();
    }

    @Override
    public void close() {
        api.close();
    }
}
