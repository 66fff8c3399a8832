package io.dentryguard.operator.apply;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.operator.decide.Decision;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
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
        emit(onNode ? about(node) : about(nh), e.warning(), e.reason(), e.message(), now);
    }

    /** An Event about any object: a namespaced one (an evicted pod) goes to its own namespace. */
    public void emit(ObjectReference about, boolean warning, String reason, String message, Instant now) {
        String ns = about.getNamespace() == null ? namespace : about.getNamespace();
        client.v1().events().inNamespace(ns).resource(new EventBuilder()
                .withNewMetadata().withGenerateName(about.getName() + ".").withNamespace(ns).endMetadata()
                .withInvolvedObject(about)
                .withReason(reason)
                .withMessage(message)
                .withType(warning ? "Warning" : "Normal")
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(now.toString())
                .withLastTimestamp(now.toString())
                .withCount(1)
                .build()).create();
    }

    /** An owner, named by a reference in one of its objects (a pod's owner) in {@code namespace}. */
    public static ObjectReference about(OwnerReference o, String namespace) {
        return new ObjectReferenceBuilder().withApiVersion(o.getApiVersion()).withKind(o.getKind()).withName(o.getName())
                .withNamespace(namespace).withUid(o.getUid()).build();
    }

    public static ObjectReference about(HasMetadata o) {
        return new ObjectReferenceBuilder().withApiVersion(o.getApiVersion()).withKind(o.getKind()).withName(o.getMetadata().getName())
                .withNamespace(o.getMetadata().getNamespace()).withUid(o.getMetadata().getUid()).build();
    }
}
