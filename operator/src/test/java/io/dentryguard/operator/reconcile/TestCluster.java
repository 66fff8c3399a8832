package io.dentryguard.operator.reconcile;

import io.dentryguard.api.patch.StatusFieldsPatch;
import io.dentryguard.api.testing.ApiRequest;
import io.dentryguard.api.testing.MockApiServer;
import io.dentryguard.api.testing.TestApiServer;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.decide.NodeDecision;
import io.dentryguard.operator.observe.NodeReader;
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
 * An API server of the tests (the real one or the mock) with the moves a probe and a cluster make: Nodes appear, probes report
 * (patching only their own status fields, as the real probe does). One server serves a whole test class: {@link #reset} clears
 * what the tests before left and marks where the next test's requests start.
 */
final class TestCluster implements AutoCloseable {
    /** Where the operator's Events go in these tests: Nodes and NodeHealths are cluster-scoped. */
    static final String EVENT_NAMESPACE = "default";

    final TestApiServer api;
    final KubernetesClient client;
    private int testStart;

    TestCluster(TestApiServer api) {
        this.api = api;
        this.client = api.client();
    }

    /** Deletes every NodeHealth, Node and Event (none has a finalizer, so they are gone on return) and marks the test's start. */
    void reset() {
        client.resources(NodeHealth.class).delete();
        client.nodes().delete();
        client.v1().events().inNamespace(EVENT_NAMESPACE).delete();
        testStart = mark();
    }

    /** A Ready Node carrying {@code foreign} taints and no other (TestApiServer.create). */
    Node node(String name, Taint... foreign) {
        return api.create(MockApiServer.nodeBuilder(name).editSpec().withTaints(foreign).endSpec().build());
    }

    /** The number of requests answered so far, to look at those after it with {@link #requestsSince}. */
    int mark() {
        return api.requests().size();
    }

    List<ApiRequest> requestsSince(int mark) {
        List<ApiRequest> all = api.requests();
        return all.subList(mark, all.size());
    }

    /**
     * Requests since {@code mark} that change a Node, a NodeHealth or an Event: whatever the operator writes. The real server's
     * own bookkeeping (it renews its identity Lease in kube-system every 10 s) is no write of the operator's.
     */
    List<ApiRequest> writesSince(int mark) {
        return requestsSince(mark).stream().filter(ApiRequest::mutates)
                .filter(r -> r.path().startsWith("/api/v1/nodes") || r.path().startsWith("/apis/dentryguard.io/")
                        || r.path().startsWith("/api/v1/namespaces/" + EVENT_NAMESPACE + "/events"))
                .toList();
    }

    /** Requests of this test that change a Node (spec or status). */
    List<ApiRequest> nodeWrites() {
        return requestsSince(testStart).stream().filter(ApiRequest::mutates).filter(r -> r.path().startsWith("/api/v1/nodes")).toList();
    }

    long nodeMutations() {
        return nodeWrites().size();
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
        return NodeReader.taints(client.nodes().withName(node).get());
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
        return client.v1().events().inNamespace(EVENT_NAMESPACE).list().getItems();
    }

    @Override
    public void close() {
        api.close();
    }
}
