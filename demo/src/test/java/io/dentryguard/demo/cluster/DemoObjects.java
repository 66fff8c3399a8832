package io.dentryguard.demo.cluster;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.dentryguard.api.v1alpha1.Verdict;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The objects a demo cluster holds: a node, a pod on it, an event about it, and its NodeHealth report. */
final class DemoObjects {
    static final String NODE = "worker-1";
    static final String NAMESPACE = "demo";
    static final String POD = "flooder";
    static final String REASON = "DentryPressure";

    private DemoObjects() {}

    static void create(KubernetesClient client) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE).addToLabels("node-role.kubernetes.io/worker", "")
                .endMetadata().withNewSpec().endSpec().withNewStatus().addNewCondition().withType("Ready").withStatus("True")
                .withReason("KubeletReady").endCondition().addNewAddress().withType("InternalIP").withAddress("10.0.0.11").endAddress()
                .withNewNodeInfo().withKubeletVersion("v1.33.13").withOsImage("Debian GNU/Linux 12 (bookworm)").withKernelVersion("6.1.0-demo")
                .withContainerRuntimeVersion("containerd://1.7.24").withArchitecture("amd64").withOperatingSystem("linux").endNodeInfo()
                .endStatus().build()).create();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
        pod(client, POD);
        client.v1().events().inNamespace("default").resource(new EventBuilder().withMetadata(new ObjectMetaBuilder()
                .withName(NODE + ".dentry-pressure").withNamespace("default").build()).withNewInvolvedObject().withKind("Node")
                .withApiVersion("v1").withName(NODE).withUid(NODE).endInvolvedObject().withReason(REASON).withType("Warning")
                .withMessage("negative dentries flood the hash table").withNewSource().withComponent("dentry-guard-operator").endSource()
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1).build()).create();
        NodeHealth health = new NodeHealth();
        health.setMetadata(new ObjectMetaBuilder().withName(NODE).build());
        NodeHealth created = client.resources(NodeHealth.class).resource(health).create();
        NodeHealthStatus status = new NodeHealthStatus();
        status.setVerdict(Verdict.DEGRADED);
        status.setChainLength(7.5);
        status.setLookupRatio(3.25);
        status.setNegativeDentries(2_000_000L);
        status.setTopOffender(NAMESPACE + "/" + POD);
        status.setTainted(true);
        status.setLastReportTime(now);
        created.setStatus(status);
        client.resources(NodeHealth.class).resource(created).updateStatus();
    }

    /** A running pod bound to the node, its status written as its kubelet would (the real server makes a new pod Pending). */
    static Pod pod(KubernetesClient client, String name) {
        client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withNodeName(NODE).addNewContainer().withName("flood").withImage("registry.invalid/flood:1").endContainer().endSpec()
                .build()).create();
        return client.pods().inNamespace(NAMESPACE).withName(name).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), """
                {"status": {"phase": "Running", "podIP": "10.244.1.7", "conditions": [{"type": "Ready", "status": "True"}],
                            "containerStatuses": [{"name": "flood", "image": "registry.invalid/flood:1", "imageID": "", "ready": true,
                                                   "restartCount": 0, "state": {"running": {}}}]}}""");
    }
}
