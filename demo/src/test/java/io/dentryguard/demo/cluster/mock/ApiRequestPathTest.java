package io.dentryguard.demo.cluster.mock;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.demo.cluster.mock.ApiRequestPath.Resource;
import org.junit.jupiter.api.Test;

class ApiRequestPathTest {
    @Test
    void aNamespacedSubresourceOfTheCoreGroup() {
        assertThat(ApiRequestPath.of("/api/v1/namespaces/shop/pods/db-0/eviction").resource())
                .contains(new Resource("", "v1", "shop", "pods", "db-0", "eviction"));
    }

    @Test
    void aClusterScopedCustomResourceAndItsList() {
        assertThat(ApiRequestPath.of("/apis/dentryguard.io/v1alpha1/nodehealths/n1/status").resource())
                .contains(new Resource("dentryguard.io", "v1alpha1", null, "nodehealths", "n1", "status"));
        assertThat(ApiRequestPath.of("/apis/dentryguard.io/v1alpha1/nodehealths?limit=500").resource())
                .contains(new Resource("dentryguard.io", "v1alpha1", null, "nodehealths", null, null));
    }

    @Test
    void aNamespaceIsAResourceAndNotAScope() {
        assertThat(ApiRequestPath.of("/api/v1/namespaces/shop").resource()).contains(new Resource("", "v1", null, "namespaces", "shop", null));
        assertThat(ApiRequestPath.of("/api/v1/namespaces/shop/pods").resource()).contains(new Resource("", "v1", "shop", "pods", null, null));
    }

    @Test
    void discoveryPathsNameNoResourceWhateverTheirQuery() {
        for (String path : new String[] {"/api", "/apis", "/api/v1?timeout=32s", "/apis/apps/v1?timeout=32s", "/version", "/"}) {
            assertThat(ApiRequestPath.of(path).resource()).as(path).isEmpty();
        }
        assertThat(ApiRequestPath.of("/apis/apps/v1?timeout=32s").path()).isEqualTo("/apis/apps/v1");
    }

    @Test
    void theQueryIsDecodedAndAParameterCanBeLeftOut() {
        ApiRequestPath path = ApiRequestPath.of("/api/v1/pods?fieldSelector=spec.nodeName%3Dn1%2Cstatus.phase%21%3DFailed&limit=500");
        assertThat(path.query()).containsEntry("fieldSelector", "spec.nodeName=n1,status.phase!=Failed").containsEntry("limit", "500");
        assertThat(path.without("fieldSelector")).isEqualTo("/api/v1/pods?limit=500");
    }
}
