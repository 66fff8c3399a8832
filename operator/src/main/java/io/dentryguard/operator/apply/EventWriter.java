package io.dentryguard.operator.apply;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.operator.decide.Decision;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;

/**
 * Emits core/v1 Events about a Node or its NodeHealth. Both are cluster-scoped, so their Events go
 * to one namespace (kubectl describe node looks in "default").
 */
public final class EventWriter {
    static final String COMPONENT = "dentry-guard-operator";

    private final KubernetesClient client;
    private final String namespace;

    public EventWriter(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    public void emit(Node node, NodeHealth nh, Decision.Event e, Instant now) {
        boolean onNode = e.target() == Decision.Target.NODE;
        var ref = onNode
                ? new ObjectReferenceBuilder().withApiVersion("v1").withKind("Node").withName(node.getMetadata().getName())
                        .withUid(node.getMetadata().getUid()).build()
                : new ObjectReferenceBuilder().withApiVersion(nh.getApiVersion()).withKind(nh.getKind())
                        .withName(nh.getMetadata().getName()).withUid(nh.getMetadata().getUid()).build();
        client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                .withNewMetadata().withGenerateName(ref.getName() + ".").withNamespace(namespace).endMetadata()
                .withInvolvedObject(ref)
                .withReason(e.reason())
                .withMessage(e.message())
                .withType(e.warning() ? "Warning" : "Normal")
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(now.toString())
                .withLastTimestamp(now.toString())
                .withCount(1)
                .build()).create();
    }
}
