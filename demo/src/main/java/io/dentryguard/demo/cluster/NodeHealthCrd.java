package io.dentryguard.demo.cluster;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The NodeHealth CRD as the api jar carries it (generated from the classes at build time). */
final class NodeHealthCrd {
    static final String RESOURCE = "/META-INF/fabric8/nodehealths.dentryguard.io-v1.yml";

    private NodeHealthCrd() {}

    static CustomResourceDefinition load() {
        try (InputStream in = NodeHealth.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no " + RESOURCE + " on the class path (the api jar)");
            }
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
