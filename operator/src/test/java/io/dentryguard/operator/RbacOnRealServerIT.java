package io.dentryguard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dentryguard.api.testing.RealApiServer;
import io.dentryguard.api.testing.RealApiServerPerClass;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * deploy/rbac.yaml applied with kubectl to a real API server, then each component's calls made as
 * its own service account, with a real token: every call it makes is allowed, and what it must not
 * do is refused (403). The packaged jars run under these same roles in OperatorProcessIT and
 * ClusterModeIT.
 */
class RbacOnRealServerIT {
    private static final String NS = "dentry-guard";
    @RegisterExtension
    static final RealApiServerPerClass SERVER = new RealApiServerPerClass();
    private static RealApiServer api;
    private static KubernetesClient probe;
    private static KubernetesClient operator;

    @BeforeAll
    static void applyTheRoles() {
        api = SERVER.api();
        api.apply("deploy/rbac.yaml");
        api.node("node-a");
        api.node("node-b");
        probe = api.clientAs(NS, "dentry-guard-probe");
        operator = api.clientAs(NS, "dentry-guard-operator");
    }

    @AfterAll
    static void stop() {
        for (KubernetesClient c : new KubernetesClient[] {probe, operator}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static void refused(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).as(e.getMessage()).isEqualTo(403));
    }

    private static NodeHealth nodeHealth(String name) {
        NodeHealth nh = new NodeHealth();
        nh.getMetadata().setName(name);
        return nh;
    }

    @Test
    void theProbeMayDoItsJobAndNoMore() {
        Node node = probe.nodes().withName("node-a").get();
        assertThat(node.getMetadata().getUid()).isNotBlank();
        probe.resource(nodeHealth("node-a")).create();
        assertThat(probe.resources(NodeHealth.class).withName("node-a").get()).isNotNull();
        probe.resources(NodeHealth.class).withName("node-a").subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\": {\"verdict\": \"Healthy\"}}");
        assertThat(probe.pods().inAnyNamespace().withField("spec.nodeName", "node-a").list().getItems()).isEmpty();

        refused(() -> probe.nodes().withName("node-a").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\": {\"taints\": [{\"key\": \"k\", \"value\": \"v\", \"effect\": \"NoSchedule\"}]}}"));
        refused(() -> probe.nodes().withName("node-a").subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\": {\"conditions\": []}}"));
        refused(() -> probe.nodes().list());
        refused(() -> probe.resources(NodeHealth.class).withName("node-a").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\": {\"paused\": true}}"));
        refused(() -> probe.resources(NodeHealth.class).withName("node-a").delete());
        // It watches its own NodeHealth for the operator's reclaim requests: RBAC cannot limit a list or watch to one name.
        assertThat(probe.resources(NodeHealth.class).withField("metadata.name", "node-a").list().getItems()).hasSize(1);
        refused(() -> probe.pods().inNamespace("default").withName("x").get());
        refused(() -> probe.secrets().inNamespace(NS).list());
    }

    @Test
    void theOperatorMayDoItsJobAndNoMore() {
        api.client.resource(nodeHealth("node-b")).create();
        assertThat(operator.nodes().list().getItems()).extracting(n -> n.getMetadata().getName()).contains("node-a", "node-b");
        assertThat(operator.resources(NodeHealth.class).list().getItems()).isNotEmpty();
        operator.nodes().withName("node-b").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\": {\"taints\": [{\"key\": \"dentryguard.io/dentry-pressure\", \"value\": \"dentry-guard\", \"effect\": \"NoSchedule\"}]}}");
        operator.nodes().withName("node-b").subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"status\": {\"conditions\": [{\"type\": \"DentryCachePressure\", \"status\": \"True\", \"reason\": \"Test\"}]}}");
        operator.resources(NodeHealth.class).withName("node-b").subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\": {\"tainted\": true}}");
        operator.v1().events().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.EventBuilder().withNewMetadata()
                .withGenerateName("node-b.").endMetadata().withNewInvolvedObject().withKind("Node").withName("node-b").endInvolvedObject()
                .withReason("Test").withMessage("test").build()).create();
        operator.resources(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class).inNamespace(NS).resource(new LeaseBuilder().withNewMetadata().withName("dentry-guard-operator").endMetadata()
                .withNewSpec().withHolderIdentity("test").endSpec().build()).create();

        // The remediation ladder: a request to the probe in spec.reclaim, an offender's facts, its eviction.
        operator.resources(NodeHealth.class).withName("node-b").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\": {\"reclaim\": {\"id\": \"reclaim-1\", \"scope\": \"Pod\", \"podUid\": \"u\"}}}");
        api.client.pods().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName("offender").endMetadata().withNewSpec().addNewContainer().withName("c").withImage("x").endContainer().endSpec()
                .build()).create();
        assertThat(operator.pods().inNamespace("default").withName("offender").get()).isNotNull();
        assertThat(operator.apps().replicaSets().inNamespace("default").withName("none").get()).isNull();
        assertThat(operator.pods().inNamespace("default").withName("offender").evict()).isTrue();

        refused(() -> operator.pods().inNamespace("default").withName("offender").delete());
        refused(() -> operator.nodes().withName("node-b").delete());
        refused(() -> operator.resources(NodeHealth.class).withName("node-b").delete());
        refused(() -> operator.pods().inAnyNamespace().list());
        refused(() -> operator.secrets().inNamespace(NS).list());
        refused(() -> operator.resources(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class).inNamespace("default").resource(new LeaseBuilder().withNewMetadata().withName("elsewhere")
                .endMetadata().build()).create());
    }
}
