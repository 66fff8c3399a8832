package io.dentryguard.charts;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Multi-document YAML to typed Kubernetes objects, refusing any field the model does not know. fabric8's
 * own parsing keeps unknown fields in each object's additionalProperties (a @JsonAnySetter), so a typo
 * like readOnlyRootFilesytem would pass it, and the API server would drop it silently at install.
 */
final class StrictObjects {
    private static final KubernetesSerialization STRICT;

    static {
        ObjectMapper mapper = new ObjectMapper();
        mapper.setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
            private static final long serialVersionUID = 1L;

            @Override
            public Boolean hasAnySetter(Annotated a) {
                return Boolean.FALSE;
            }
        });
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        STRICT = new KubernetesSerialization(mapper, true);
    }

    private StrictObjects() {
    }

    /**
     * Every document as its typed model; an unknown field, or a kind with no typed model (which could
     * not be checked), throws IllegalArgumentException naming it.
     */
    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> out = new ArrayList<>();
        for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
            if (doc == null) {
                continue;
            }
            Object parsed = STRICT.convertValue(doc, KubernetesResource.class);
            if (parsed instanceof GenericKubernetesResource g) {
                throw new IllegalArgumentException("no typed model for " + g.getApiVersion() + " " + g.getKind() + ": cannot check its fields");
            }
            out.add((HasMetadata) parsed);
        }
        return out;
    }

    /** The one object of {@code type} named {@code name}. */
    static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast).filter(o -> o.getMetadata().getName().equals(name)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + " " + name + ", found " + found.size() + " among "
                    + objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList());
        }
        return found.get(0);
    }

    /** Every object of {@code type}. */
    static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
