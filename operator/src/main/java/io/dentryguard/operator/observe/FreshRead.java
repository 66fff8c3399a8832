package io.dentryguard.operator.observe;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * The observing step's reading half: a NodeHealth and its Node as the API server has them now. The
 * caches can lag the operator's own last writes (and the probe's), so whatever is to be written is
 * decided again on these, and a lagging cache never causes a write.
 *
 * @param node null when there is no Node of the NodeHealth's name
 */
public record FreshRead(NodeHealth nodeHealth, Node node) {

    /** Both read now; empty when the NodeHealth is gone. */
    public static Optional<FreshRead> of(KubernetesClient client, String name) {
        NodeHealth nh = client.resources(NodeHealth.class).withName(name).get();
        return nh == null ? Optional.empty() : Optional.of(new FreshRead(nh, client.nodes().withName(name).get()));
    }
}
