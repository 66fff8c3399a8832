package io.dentryguard.demo.cluster.mock;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class ApiDiscoveryTest {
    private final ApiDiscovery discovery = new ApiDiscovery().withCustomResource(Serialization.unmarshal(
            NodeHealth.class.getResourceAsStream("/META-INF/fabric8/nodehealths.dentryguard.io-v1.yml"), CustomResourceDefinition.class));

    @Test
    void theGroupsTheDemoUsesAreListed() {
        APIGroupList groups = Serialization.unmarshal(discovery.document("/apis").orElseThrow(), APIGroupList.class);
        assertThat(groups.getGroups()).extracting(g -> g.getPreferredVersion().getGroupVersion()).contains("apps/v1",
                "coordination.k8s.io/v1", "events.k8s.io/v1", "policy/v1", "dentryguard.io/v1alpha1");
    }

    @Test
    void nodeHealthsAreClusterScopedWithTheirShortNameAndStatus() {
        APIResourceList list = Serialization.unmarshal(discovery.document("/apis/dentryguard.io/v1alpha1").orElseThrow(), APIResourceList.class);
        assertThat(list.getResources()).extracting(APIResource::getName).containsExactly("nodehealths", "nodehealths/status");
        APIResource nodeHealths = list.getResources().get(0);
        assertThat(nodeHealths.getNamespaced()).isFalse();
        assertThat(nodeHealths.getShortNames()).containsExactly("nh");
        assertThat(nodeHealths.getKind()).isEqualTo("NodeHealth");
    }

    @Test
    void podsCanBeEvictedAndListedInTheCoreGroup() {
        APIResourceList core = Serialization.unmarshal(discovery.document("/api/v1").orElseThrow(), APIResourceList.class);
        assertThat(core.getResources()).extracting(APIResource::getName).contains("pods", "pods/eviction", "nodes", "events", "namespaces");
        assertThat(discovery.kind("v1", "pods")).contains("Pod");
        assertThat(discovery.kind("dentryguard.io/v1alpha1", "nodehealths")).contains("NodeHealth");
    }

    @Test
    void theVersionIsAKubernetesOneAndOtherPathsAreNotDiscovery() {
        assertThat(discovery.document("/version").orElseThrow()).contains("\"major\":\"1\"", "\"gitVersion\":\"v1.33");
        assertThat(discovery.document("/api/v2")).isEmpty();
        assertThat(discovery.document("/healthz")).isEmpty();
    }
}
