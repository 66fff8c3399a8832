package io.dentryguard.operator.reconcile;

import io.dentryguard.api.patch.StatusFieldsPatch;
import io.dentryguard.api.testing.ApiRequest;
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
        return api.requests.stream().filter(ApiRequest::mutates).filter(r -> r.path().startsWith("/api/v1/nodes")).count();
    }

    /** What the probe writes: its own status fields only, by JSON patch; creates the NodeHealth first if needed. */
    void report(String node, Verdict verdict, Instant at) {
        report(node, at, Map.of("verdict", verdict));
    }

    /** A report of {@code fields} (and reasons, lastReportTime) as any probe version might write it, however wrong. */
    void report(String node, Instant at, Map<String, Object> fields) {
        NodeHealth nh = client.resources(NodeHealth.class).withName(node).get();
        if (nh == null) {
            nh = new NodeHealth();
            nh.getMetadata().setName(node);
            nh = client.resource(nh).create();
        }
        Map<String, Object> all = new LinkedHashMap<>(fields);
        all.put("reasons", List.of("average hash chain 4.800"));
        all.put("lastReportTime", at.toString());
        StatusFieldsPatch.write(client, node, all, Set.of(), nh.getStatus() != null);
    }

    NodeHealth nodeHealth(String node) {
        return client.resources(NodeHealth.class).withName(node).get();
    }

    Optional<Taint> ourTaint(String node) {
        return taints(node).stream()
                .filter(t -> NodeDecision.TAINT_KEY.equals(t.getKey()) && NodeDecision.TAINT_VALUE.equals(t.getValue())).findFirst();
    }

    List<Taint> taints(String node) {
        List<Taint> taints = client.nodes().withName(node).get().getSpec().getTaints();
        return taints == null ? List.of() : taints;
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
        return events().stream().map(Event::getReason).toList();
    }

    List<Event> events() {
        return client.v1().events().inNamespace("default").list().getItems();
    }

    @Override
    public void close() {
        api.close();
    }
}
