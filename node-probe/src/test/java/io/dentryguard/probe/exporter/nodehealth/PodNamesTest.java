package io.dentryguard.probe.exporter.nodehealth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The pod list as a real API server sends it (metadata only) and as one that cannot sends it (whole pods). */
class PodNamesTest {
    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsWholePodsAsWellAsTheirMetadataOnly() {
        assertThat(NodeHealthClient.podNamesByUid(json("""
                {"kind": "PodList", "apiVersion": "v1", "items": [
                  {"metadata": {"name": "web-1", "namespace": "shop", "uid": "u1", "labels": {"app": "web"}},
                   "spec": {"nodeName": "node-a", "containers": [{"name": "c", "image": "x"}]}, "status": {"phase": "Running"}}]}""")))
                .containsExactly(java.util.Map.entry("u1", "shop/web-1"));
    }

    @Test
    void skipsEntriesWithoutANameOrUidAndAcceptsAnEmptyList() {
        assertThat(NodeHealthClient.podNamesByUid(json("""
                {"items": [{"metadata": {"name": "no-uid", "namespace": "a"}}, {"metadata": {"uid": "no-name"}},
                           {"metadata": {"uid": 7, "name": "numeric-uid"}}, "not an object",
                           {"metadata": {"name": "ok", "namespace": "b", "uid": "u2"}}]}""")))
                .containsExactly(java.util.Map.entry("u2", "b/ok"));
        assertThat(NodeHealthClient.podNamesByUid(json("{\"kind\": \"PartialObjectMetadataList\", \"items\": []}"))).isEmpty();
        assertThat(NodeHealthClient.podNamesByUid(json("{\"kind\": \"PartialObjectMetadataList\"}"))).isEmpty();
    }

    @Test
    void anAnswerThatIsNotJsonSaysSo() {
        assertThatThrownBy(() -> NodeHealthClient.podNamesByUid(json("<html>502 Bad Gateway</html>")))
                .hasMessageStartingWith("the pod list does not read as JSON");
    }
}
