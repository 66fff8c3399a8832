package io.dentryguard.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.testing.RealApiServer;
import io.dentryguard.operator.apply.PodEvictor;
import io.dentryguard.operator.decide.remediation.PodFacts;
import io.dentryguard.operator.observe.PodFactsReader;
import io.dentryguard.api.testing.RealApiServerPerClass;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Eviction API as a real API server implements it, which the remediation ladder (issue 11) will
 * use: a PodDisruptionBudget that allows no disruption makes it answer 429 and leaves the pod alone;
 * one that allows it, or none, evicts; dry-run evicts nothing. There is no kube-controller-manager
 * in the tests, so each budget's status is written here as its disruption controller would; and no
 * kubelet, so each pod's status is written here too, and an evicted pod that is bound to a node
 * stays terminating (deletionTimestamp set).
 */
class EvictionOnRealServerIT {
    private static final String NS = "shop";
    @RegisterExtension
    static final RealApiServerPerClass SERVER = new RealApiServerPerClass();
    private static RealApiServer api;

    @BeforeAll
    static void start() {
        api = SERVER.api();
        api.node("node-a");
        api.client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(NS)
                .endMetadata().build()).create();
    }


    /**
     * A running, ready pod on node-a, its status written as its kubelet would: the server evicts a
     * Pending pod without asking its budget.
     */
    private static Pod pod(String name, String app) {
        api.client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name).withLabels(Map.of("app", app))
                .endMetadata().withNewSpec().withNodeName("node-a").addNewContainer().withName("c").withImage("registry.invalid/x:1")
                .endContainer().endSpec().build()).create();
        return api.client.pods().inNamespace(NS).withName(name).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\": {\"phase\": \"Running\", \"conditions\": [{\"type\": \"Ready\", \"status\": \"True\"}]}}");
    }

    /** A budget for {@code app}, with the status its disruption controller would have written. */
    private static void budget(String app, int disruptionsAllowed) {
        PodDisruptionBudget pdb = api.client.policy().v1().podDisruptionBudget().inNamespace(NS).resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName(app).endMetadata().withNewSpec().withNewMinAvailable(1).withNewSelector()
                .withMatchLabels(Map.of("app", app)).endSelector().endSpec().build()).create();
        api.client.policy().v1().podDisruptionBudget().inNamespace(NS).withName(app).subresource("status").patch(
                PatchContext.of(PatchType.JSON_MERGE), """
                        {"status": {"observedGeneration": %d, "disruptionsAllowed": %d, "currentHealthy": 1, "desiredHealthy": 1,
                                    "expectedPods": 1}}""".formatted(pdb.getMetadata().getGeneration(), disruptionsAllowed));
    }

    private static boolean terminating(String pod) {
        Pod p = api.client.pods().inNamespace(NS).withName(pod).get();
        return p == null || p.getMetadata().getDeletionTimestamp() != null;
    }

    @Test
    void aBudgetThatAllowsNoDisruptionIsAnswered429AndThePodStays() {
        pod("db-0", "db");
        budget("db", 0);
        assertThat(api.client.pods().inNamespace(NS).withName("db-0").evict()).as("fabric8: false on 429").isFalse();
        assertThat(terminating("db-0")).isFalse();
        assertThat(api.audit()).filteredOn(r -> r.request().path().equals("/api/v1/namespaces/shop/pods/db-0/eviction"))
                .singleElement().satisfies(r -> {
                    assertThat(r.request().method()).isEqualTo("POST");
                    assertThat(r.code()).isEqualTo(429);
                });
    }

    @Test
    void aBudgetThatAllowsItOrNoBudgetEvicts() {
        pod("web-0", "web");
        budget("web", 1);
        assertThat(api.client.pods().inNamespace(NS).withName("web-0").evict()).isTrue();
        assertThat(terminating("web-0")).isTrue();

        pod("batch-0", "batch");
        assertThat(api.client.pods().inNamespace(NS).withName("batch-0").evict()).isTrue();
        assertThat(terminating("batch-0")).isTrue();
    }

    @Test
    void aDryRunEvictionEvictsNothing() {
        pod("cache-0", "cache");
        String eviction = """
                {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "cache-0", "namespace": "shop"},
                 "deleteOptions": {"dryRun": ["All"]}}""";
        api.client.raw(api.client.getMasterUrl() + "api/v1/namespaces/shop/pods/cache-0/eviction", "POST", eviction);
        assertThat(terminating("cache-0")).isFalse();
        assertThat(api.audit()).as("the server accepted the dry-run eviction, and evicted nothing")
                .filteredOn(r -> r.request().path().equals("/api/v1/namespaces/shop/pods/cache-0/eviction"))
                .singleElement().satisfies(r -> assertThat(r.code()).isEqualTo(201));
    }

    @Test
    void aPodThatIsGoneIsAnswered404() {
        try {
            api.client.pods().inNamespace(NS).withName("never-was").evict();
            throw new AssertionError("evicting a pod that does not exist was not refused");
        } catch (KubernetesClientException e) {
            assertThat(e.getCode()).isEqualTo(404);
        }
    }

    private static PodFacts facts(String pod) {
        return PodFactsReader.facts(api.client.pods().inNamespace(NS).withName(pod).get(), (ns, n) -> java.util.Optional.empty());
    }

    @Test
    void theOperatorsEvictorTakesABudgetsNoForAnAnswerAndNeverDeletes() {
        pod("queue-0", "queue");
        budget("queue", 0);
        PodEvictor evictor = new PodEvictor(api.client);
        assertThat(evictor.evict(facts("queue-0"), false)).isEqualTo(PodEvictor.Result.REFUSED_BY_BUDGET);
        assertThat(evictor.evict(facts("queue-0"), true)).as("dry-run asks the server, which checks the budget")
                .isEqualTo(PodEvictor.Result.REFUSED_BY_BUDGET);
        assertThat(terminating("queue-0")).isFalse();
        assertThat(api.requests()).as("no DELETE of the pod, ever")
                .noneMatch(r -> r.method().equals("DELETE") && r.path().startsWith("/api/v1/namespaces/shop/pods/queue-0"));

        pod("worker-0", "worker");
        assertThat(evictor.evict(facts("worker-0"), true)).isEqualTo(PodEvictor.Result.EVICTED);
        assertThat(terminating("worker-0")).as("a dry run evicts nothing").isFalse();
        assertThat(evictor.evict(facts("worker-0"), false)).isEqualTo(PodEvictor.Result.EVICTED);
        assertThat(terminating("worker-0")).isTrue();

        PodFacts gone = new PodFacts(NS, "never-was", "uid-x", null, "Pod shop/never-was", null, Map.of());
        assertThat(evictor.evict(gone, false)).isEqualTo(PodEvictor.Result.GONE);
    }
}
