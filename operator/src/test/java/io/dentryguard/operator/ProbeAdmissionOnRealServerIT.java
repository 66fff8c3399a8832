package io.dentryguard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dentryguard.api.testing.RealApiServer;
import io.dentryguard.api.testing.RealApiServerPerClass;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.Verdict;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * deploy/admission-policy.yaml enforced by a real API server: a probe's token bound to its pod on
 * node-a may create and write node-a's NodeHealth status, and is refused node-b's, any spec, and
 * everything when its token is bound to no pod.
 */
class ProbeAdmissionOnRealServerIT {
    private static final String NS = "dentry-guard";
    private static final String PROBE = "dentry-guard-probe";
    @RegisterExtension
    static final RealApiServerPerClass SERVER = new RealApiServerPerClass();
    private static RealApiServer api;
    private static KubernetesClient probeOnA;

    @BeforeAll
    static void start() {
        api = SERVER.api();
        api.apply("deploy/rbac.yaml");
        api.apply("deploy/admission-policy.yaml");
        for (String node : new String[] {"node-a", "node-b"}) {
            api.node(node);
            api.client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("probe-" + node).endMetadata()
                    .withNewSpec().withNodeName(node).withServiceAccountName(PROBE).addNewContainer().withName("probe")
                    .withImage("registry.invalid/dentry-guard:0").endContainer().endSpec().build()).create();
        }
        probeOnA = api.clientWithToken(api.podBoundToken(NS, PROBE, "probe-node-a"));
        NodeHealth b = new NodeHealth();
        b.getMetadata().setName("node-b");
        api.client.resource(b).create();
        // A new policy takes a moment to be enforced, and until then a write passes: waited for on a NodeHealth of
        // its own, so that node-b's stays untouched for the tests.
        NodeHealth check = new NodeHealth();
        check.getMetadata().setName("policy-check");
        api.client.resource(check).create();
        Awaitility.await("the admission policy enforced").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> refusedWith403(() -> writeStatus(probeOnA, "policy-check", Verdict.HEALTHY)));
    }

    @AfterAll
    static void stop() {
        if (probeOnA != null) {
            probeOnA.close();
        }
    }

    private static void writeStatus(KubernetesClient client, String node, Verdict verdict) {
        client.resources(NodeHealth.class).withName(node).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\": {\"verdict\": \"" + verdict.displayName() + "\"}}");
    }

    private static boolean refusedWith403(ThrowingCallable call) {
        try {
            call.call();
            return false;
        } catch (KubernetesClientException e) {
            return e.getCode() == 403;
        } catch (Throwable t) {
            return false;
        }
    }

    private static void refused(ThrowingCallable call, String why) {
        assertThatThrownBy(call).isInstanceOf(KubernetesClientException.class).hasMessageContaining(why)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
    }

    @Test
    void aProbeWritesItsOwnNodesNodeHealth() {
        api.client.resources(NodeHealth.class).withName("node-a").delete();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> api.client.resources(NodeHealth.class).withName("node-a").get() == null);
        NodeHealth a = new NodeHealth();
        a.getMetadata().setName("node-a");
        probeOnA.resource(a).create();
        writeStatus(probeOnA, "node-a", Verdict.DEGRADED);
        assertThat(api.client.resources(NodeHealth.class).withName("node-a").get().getStatus().getVerdict()).isEqualTo(Verdict.DEGRADED);
    }

    @Test
    void aProbeIsRefusedAnotherNodesNodeHealth() {
        refused(() -> writeStatus(probeOnA, "node-b", Verdict.CRITICAL), "this token is bound to node node-a, not node-b");
        NodeHealth c = new NodeHealth();
        c.getMetadata().setName("node-c");
        refused(() -> probeOnA.resource(c).create(), "not node-c");
        assertThat(api.client.resources(NodeHealth.class).withName("node-b").get().getStatus()).isNull();
    }

    @Test
    void aProbeCreatesItsNodeHealthWithoutSpec() {
        api.client.resources(NodeHealth.class).withName("node-a").delete();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> api.client.resources(NodeHealth.class).withName("node-a").get() == null);
        NodeHealth paused = new NodeHealth();
        paused.getMetadata().setName("node-a");
        paused.getSpec().setPaused(true);
        refused(() -> probeOnA.resource(paused).create(), "a probe writes only the status");
    }

    @Test
    void aTokenBoundToNoPodWritesNothing() {
        try (KubernetesClient unbound = api.clientAs(NS, PROBE)) {
            refused(() -> writeStatus(unbound, "node-b", Verdict.HEALTHY), "this token is bound to no node, not node-b");
        }
    }
}
