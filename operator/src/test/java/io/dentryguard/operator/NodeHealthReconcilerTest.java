package io.dentryguard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.decide.NodeDecision;
import io.dentryguard.operator.decide.Policy;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconciler against fabric8's mock API server in CRUD mode, with the generated CRD installed. */
class NodeHealthReconcilerTest {
    private final RecordingDispatcher dispatcher = new RecordingDispatcher();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
    private KubernetesMockServer server;
    private KubernetesClient client;
    private Operator operator;

    @BeforeEach
    void start() throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        client = server.createClient();
        try (InputStream in = NodeHealth.class.getResourceAsStream("/META-INF/fabric8/nodehealths.dentryguard.io-v1.yml")) {
            client.apiextensions().v1().customResourceDefinitions()
                    .resource(Serialization.unmarshal(in, CustomResourceDefinition.class)).create();
        }
    }

    private void startOperator(Policy policy) {
        startOperator(policy, Duration.ofMillis(200));
    }

    private void startOperator(Policy policy, Duration resync) {
        operator = new Operator(o -> o.withKubernetesClient(client)
                .withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false)
                .withCloseClientOnStop(false));
        operator.register(new NodeHealthReconciler(client, policy, clock, resync));
        operator.start();
    }

    @AfterEach
    void stop() {
        if (operator != null) {
            operator.stop();
        }
        client.close();
        server.destroy();
    }

    private Node node(String name, Taint... foreign) {
        return client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withTaints(foreign).endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
                .endStatus().build()).create();
    }

    private void report(String node, Verdict verdict) {
        NodeHealth nh = client.resources(NodeHealth.class).withName(node).get();
        if (nh == null) {
            nh = new NodeHealth();
            nh.getMetadata().setName(node);
            nh = client.resource(nh).create();
        }
        NodeHealthStatus s = nh.getStatus() == null ? new NodeHealthStatus() : nh.getStatus();
        s.setVerdict(verdict);
        s.setReasons(List.of("average hash chain 4.800"));
        s.setLastReportTime(clock.instant().toString());
        nh.setStatus(s);
        client.resource(nh).updateStatus();
    }

    private Optional<Taint> ourTaint(String node) {
        List<Taint> taints = client.nodes().withName(node).get().getSpec().getTaints();
        return taints == null ? Optional.empty() : taints.stream().filter(t -> NodeDecision.TAINT_KEY.equals(t.getKey())).findFirst();
    }

    private Optional<NodeCondition> ourCondition(String node) {
        return client.nodes().withName(node).get().getStatus().getConditions().stream()
                .filter(c -> NodeDecision.CONDITION_TYPE.equals(c.getType())).findFirst();
    }

    private List<String> eventReasons() {
        return client.v1().events().inNamespace("default").list().getItems().stream().map(Event::getReason).toList();
    }

    @Test
    void aDegradedReportTaintsSetsTheConditionAndSaysSoAndForeignTaintsSurvive() {
        Taint foreign = new Taint("NoSchedule", "example.com/maintenance", null, "true");
        node("node-a", foreign);
        startOperator(Policy.defaults());
        report("node-a", Verdict.DEGRADED);

        await().atMost(Duration.ofSeconds(20)).until(() -> ourTaint("node-a").isPresent());
        assertThat(ourTaint("node-a").get().getEffect()).isEqualTo("NoSchedule");
        assertThat(client.nodes().withName("node-a").get().getSpec().getTaints()).contains(foreign).hasSize(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> ourCondition("node-a").isPresent());
        NodeCondition c = ourCondition("node-a").get();
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getReason()).isEqualTo("DentryCacheDegraded");
        assertThat(client.nodes().withName("node-a").get().getStatus().getConditions()).extracting(NodeCondition::getType)
                .contains("Ready");
        await().atMost(Duration.ofSeconds(20)).until(() -> eventReasons().contains("DentryPressureTainted"));
        await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.TRUE.equals(
                client.resources(NodeHealth.class).withName("node-a").get().getStatus().getTainted()));
    }

    @Test
    void recoveryUntaintsOnlyAfterTheHoldDown() {
        node("node-b");
        startOperator(Policy.defaults());
        report("node-b", Verdict.DEGRADED);
        await().atMost(Duration.ofSeconds(20)).until(() -> ourTaint("node-b").isPresent());

        report("node-b", Verdict.HEALTHY);
        await().atMost(Duration.ofSeconds(20)).until(() -> client.resources(NodeHealth.class).withName("node-b").get()
                .getStatus().getHealthySince() != null);
        clock.advance(Duration.ofMinutes(4));
        report("node-b", Verdict.HEALTHY);
        // Several reconciles happen at 4 minutes in (resync every 200 ms); the taint must survive them all.
        int before = dispatcher.requests.size();
        await().atMost(Duration.ofSeconds(20)).until(() -> dispatcher.requests.size() > before + 20);
        assertThat(ourTaint("node-b")).isPresent();

        clock.advance(Duration.ofMinutes(1));
        report("node-b", Verdict.HEALTHY);
        await().atMost(Duration.ofSeconds(20)).until(() -> ourTaint("node-b").isEmpty());
        await().atMost(Duration.ofSeconds(20)).until(() -> eventReasons().contains("DentryPressureUntainted"));
        assertThat(ourCondition("node-b").get().getStatus()).isEqualTo("False");
    }

    @Test
    void dryRunMakesNoMutatingRequestToNodesAndRecordsWhatItWouldDo() {
        node("node-c");
        long created = dispatcher.mutationsOfNodes();
        startOperator(Policy.defaults().withDryRun(true));
        report("node-c", Verdict.CRITICAL);
        await().atMost(Duration.ofSeconds(20)).until(() -> !client.resources(NodeHealth.class).withName("node-c").get()
                .getStatus().getIntendedActions().isEmpty());
        int before = dispatcher.requests.size();
        await().atMost(Duration.ofSeconds(20)).until(() -> dispatcher.requests.size() > before + 20);
        assertThat(dispatcher.mutationsOfNodes()).as(String.join("\n", dispatcher.requests)).isEqualTo(created);
        assertThat(ourTaint("node-c")).isEmpty();
        assertThat(client.resources(NodeHealth.class).withName("node-c").get().getStatus().getIntendedActions())
                .singleElement().asString().endsWith("add taint dentryguard.io/dentry-pressure:NoSchedule");
        assertThat(eventReasons()).contains("DryRun").doesNotContain("DentryPressureTainted");
    }

    private long patchesSince(int index) {
        return dispatcher.requests.subList(index, dispatcher.requests.size()).stream()
                .filter(r -> r.startsWith("PATCH ") || r.startsWith("PUT ")).count();
    }

    @Test
    void reconcilingTheSameStateAgainChangesNothing() {
        node("node-d");
        startOperator(Policy.defaults());
        report("node-d", Verdict.DEGRADED);
        await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.TRUE.equals(
                client.resources(NodeHealth.class).withName("node-d").get().getStatus().getTainted()));
        int settled = dispatcher.requests.size();
        await().atMost(Duration.ofSeconds(20)).until(() -> dispatcher.requests.size() > settled + 30);
        assertThat(patchesSince(settled)).as(String.join("\n", dispatcher.requests.subList(settled, dispatcher.requests.size())))
                .isZero();
        assertThat(eventReasons()).filteredOn("DentryPressureTainted"::equals).hasSize(2);
    }

    @Test
    void aRestartedOperatorRebuildsItsStateFromTheApiAlone() {
        node("node-e");
        startOperator(Policy.defaults());
        report("node-e", Verdict.DEGRADED);
        await().atMost(Duration.ofSeconds(20)).until(() -> ourTaint("node-e").isPresent());
        report("node-e", Verdict.HEALTHY);
        await().atMost(Duration.ofSeconds(20)).until(() -> client.resources(NodeHealth.class).withName("node-e").get()
                .getStatus().getHealthySince() != null);
        operator.stop();

        clock.advance(Duration.ofMinutes(3));
        startOperator(Policy.defaults());
        report("node-e", Verdict.HEALTHY);
        int restarted = dispatcher.requests.size();
        await().atMost(Duration.ofSeconds(20)).until(() -> dispatcher.requests.size() > restarted + 30);
        assertThat(ourTaint("node-e")).as("3 of 5 hold-down minutes passed before the restart; they still count").isPresent();
        clock.advance(Duration.ofMinutes(2));
        report("node-e", Verdict.HEALTHY);
        await().atMost(Duration.ofSeconds(20)).until(() -> ourTaint("node-e").isEmpty());
    }

    @Test
    void theCeilingHoldsWhenFiftyNodesReportAtOnce() {
        for (int i = 0; i < 50; i++) {
            node(String.format("node-%02d", i));
        }
        startOperator(Policy.defaults(), Duration.ofSeconds(10));
        for (int i = 0; i < 50; i++) {
            report(String.format("node-%02d", i), Verdict.CRITICAL);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> client.resources(NodeHealth.class).list().getItems().stream()
                .filter(nh -> nh.getStatus().getSkipReason() != null || Boolean.TRUE.equals(nh.getStatus().getTainted()))
                .count() == 50);
        long tainted = client.nodes().list().getItems().stream()
                .filter(n -> n.getSpec().getTaints() != null
                        && n.getSpec().getTaints().stream().anyMatch(t -> NodeDecision.TAINT_KEY.equals(t.getKey())))
                .count();
        // Reconciles run in parallel, each counting the taints it sees: the ceiling of 10 may be passed
        // by the few that decided at the same instant, never by more.
        assertThat(tainted).isBetween(10L, 10L + 5L);
        assertThat(eventReasons()).contains("TaintCeilingReached");
    }
}
