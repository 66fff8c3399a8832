package io.dentryguard.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dentryguard.api.patch.StatusFieldsPatch;
import io.dentryguard.api.testing.ApiRequest;
import io.dentryguard.api.testing.MockApiServer;
import io.dentryguard.api.testing.RealApiServer;
import io.dentryguard.api.testing.TestApiServer;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.dentryguard.operator.decide.NodeDecision;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outside scenario of issue 8, run on the packaged operator (against the mock where a report must
 * be unreadable, else the real API server): what a
 * new user met (one unreadable report, stale nodes, a hand-added taint of the operator's key, a slot
 * freed under the ceiling), each as required.
 */
class OperatorScenarioIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** Each test's own: the mock where a report must be one the CRD's schema refuses, else the real server. */
    private TestApiServer api;

    @AfterEach
    void close() {
        if (api != null) {
            api.close();
        }
    }

    /** What a probe writes, of any version, however wrong: its fields and the report time. */
    private void report(String node, Map<String, Object> fields) {
        NodeHealth nh = api.client().resources(NodeHealth.class).withName(node).get();
        if (nh == null) {
            nh = new NodeHealth();
            nh.getMetadata().setName(node);
            nh = api.client().resource(nh).create();
        }
        Map<String, Object> all = new LinkedHashMap<>(fields);
        all.put("reasons", List.of("average hash chain 4.800"));
        all.put("lastReportTime", Instant.now().toString());
        StatusFieldsPatch.write(api.client(), node, all, Set.of(), nh.getStatus() != null);
    }

    private List<Taint> taints(String node) {
        List<Taint> taints = api.client().nodes().withName(node).get().getSpec().getTaints();
        return taints == null ? List.of() : taints;
    }

    private Optional<Taint> ourTaint(String node) {
        return taints(node).stream().filter(t -> NodeDecision.TAINT_VALUE.equals(t.getValue())).findFirst();
    }

    private Optional<NodeCondition> nodeCondition(String node) {
        return api.client().nodes().withName(node).get().getStatus().getConditions().stream()
                .filter(c -> NodeDecision.CONDITION_TYPE.equals(c.getType())).findFirst();
    }

    private void awaitStatus(String node, Predicate<NodeHealthStatus> p) {
        await().atMost(WAIT).until(() -> {
            NodeHealth nh = api.client().resources(NodeHealth.class).withName(node).get();
            return nh != null && nh.getStatus() != null && p.test(nh.getStatus());
        });
    }

    private List<Event> events(String reason, String kind, String name) {
        return api.client().v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> e.getReason().equals(reason) && e.getInvolvedObject().getKind().equals(kind)
                        && e.getInvolvedObject().getName().equals(name)).toList();
    }

    @Test
    void anUnreadableReportStaleNodesAndAHandAddedTaint() throws Exception {
        // The mock: a real server refuses the out-of-enum verdict with 422, so such a report reaches the operator
        // only from an object stored under an older CRD.
        api = new MockApiServer();
        Taint manual = new Taint("NoExecute", NodeDecision.TAINT_KEY, null, "manual");
        for (String n : List.of("hot", "bad", "quiet")) {
            api.node(n);
        }
        api.client().nodes().resource(MockApiServer.nodeBuilder("manual").editSpec().withTaints(manual).endSpec().build()).create();
        try (OperatorProcess operator = new OperatorProcess(api.kubeconfig(dir), dir, Map.of("DENTRYGUARD_RESYNC", "2s",
                "DENTRYGUARD_HEARTBEAT", "2s", "DENTRYGUARD_STALE_AFTER_HEARTBEATS", "3", "DENTRYGUARD_HOLD_DOWN", "1s",
                "DENTRYGUARD_MIN_TAINTED_NODES", "10"))) {
            report("bad", Map.of("verdict", "Exploded"));
            report("hot", Map.of("verdict", "Degraded"));
            report("quiet", Map.of("verdict", "Healthy"));
            report("manual", Map.of("verdict", "Degraded"));

            await().atMost(WAIT).until(() -> ourTaint("hot").isPresent() && ourTaint("manual").isPresent());
            assertThat(taints("manual")).contains(manual).hasSize(2);
            awaitStatus("bad", s -> "ReportUnreadable".equals(s.getSkipReason()));
            assertThat(nodeCondition("bad")).hasValueSatisfying(c -> {
                assertThat(c.getStatus()).isEqualTo("Unknown");
                assertThat(c.getReason()).isEqualTo("ReportUnreadable");
                assertThat(c.getMessage()).startsWith("status.verdict \"Exploded\" is not one of Healthy, Warning, Degraded");
            });
            assertThat(ourTaint("bad")).isEmpty();
            assertThat(operator.get("/healthz")).isEqualTo("200 ok\n");

            report("manual", Map.of("verdict", "Healthy"));
            await().atMost(WAIT).until(() -> ourTaint("manual").isEmpty());
            assertThat(taints("manual")).as("the hand-added taint of the same key stays").containsExactly(manual);
            await().atMost(WAIT).until(() -> !events("DentryPressureUntainted", "Node", "manual").isEmpty());
            assertThat(events("DentryPressureUntainted", "Node", "manual")).singleElement().satisfies(e -> assertThat(e.getMessage())
                    .isEqualTo("remove taint dentryguard.io/dentry-pressure=dentry-guard:NoSchedule: Healthy for the hold-down"));

            // No report for three heartbeats (6 s): the readable ones go stale (bad stays unreadable), and then
            // every node stays as it is without a write.
            for (String n : List.of("hot", "quiet", "manual")) {
                await().atMost(WAIT).until(() -> nodeCondition(n).map(c -> c.getReason().equals("ReportStale")).orElse(false));
                awaitStatus(n, s -> "ReportStale".equals(s.getSkipReason()));
            }
            assertThat(nodeCondition("quiet").get().getMessage()).startsWith("no report from the probe since ")
                    .endsWith("(stale after 6 s); last verdict Healthy");
            int settled = api.requests().size();
            await("three resyncs of four stale nodes").during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(8))
                    .until(() -> api.requests().stream().skip(settled).noneMatch(ApiRequest::mutates));
            assertThat(operator.get("/healthz")).isEqualTo("200 ok\n");
        }
    }

    @Test
    void aSlotFreedUnderTheCeilingIsTakenAtOnce() throws Exception {
        api = RealApiServer.start();
        api.node("first");
        api.node("second");
        // Ceiling 1 node, and a resync far away: nothing but the untaint itself may wake the waiting node.
        try (OperatorProcess operator = new OperatorProcess(api.kubeconfig(dir), dir, Map.of("DENTRYGUARD_RESYNC", "10m",
                "DENTRYGUARD_MAX_TAINTED_FRACTION", "0", "DENTRYGUARD_MIN_TAINTED_NODES", "1"))) {
            report("first", Map.of("verdict", "Degraded"));
            await().atMost(WAIT).until(() -> ourTaint("first").isPresent());
            report("second", Map.of("verdict", "Critical"));
            awaitStatus("second", s -> "TaintCeilingReached".equals(s.getSkipReason()));
            await().atMost(WAIT).until(() -> !events("TaintCeilingReached", "Node", "second").isEmpty());
            await().atMost(WAIT).until(() -> nodeCondition("second").isPresent());
            assertThat(nodeCondition("second").get().getMessage())
                    .isEqualTo("average hash chain 4.800; not tainted: the operator's ceiling of 1 tainted node is reached");

            long optedOutAt = System.nanoTime();
            api.client().nodes().withName("first").patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                    io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), "{\"metadata\": {\"labels\": {\"dentryguard.io/ignore\": \"true\"}}}");
            await().atMost(Duration.ofSeconds(10)).until(() -> ourTaint("second").isPresent());
            System.out.printf("freed ceiling slot taken %d ms after the opt-out label%n", (System.nanoTime() - optedOutAt) / 1_000_000);
            assertThat(ourTaint("first")).isEmpty();
            assertThat(operator.log()).contains("node second: TaintCeilingReached: not tainted: the operator's ceiling of 1 tainted node"
                    + " is reached (1 of 2 nodes carry the taint)");
        }
    }
}
