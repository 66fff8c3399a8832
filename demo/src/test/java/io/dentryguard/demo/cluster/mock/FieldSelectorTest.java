package io.dentryguard.demo.cluster.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class FieldSelectorTest {
    private static final JsonNode POD = json("""
            {"metadata": {"name": "p", "namespace": "shop"}, "spec": {"nodeName": "n1"}, "status": {"phase": "Running"}}""");
    private static final JsonNode NODE_EVENT = json("""
            {"metadata": {"name": "e", "namespace": "default"}, "involvedObject": {"kind": "Node", "name": "n1", "uid": "n1"}}""");

    @Test
    void kubectlDescribeNodesPodSelectorKeepsRunningPodsOnTheNode() {
        FieldSelector selector = FieldSelector.parse("spec.nodeName=n1,status.phase!=Succeeded,status.phase!=Failed");
        assertThat(selector.matches(POD)).isTrue();
        assertThat(FieldSelector.parse("spec.nodeName==n2").matches(POD)).isFalse();
        assertThat(FieldSelector.parse("status.phase!=Running").matches(POD)).isFalse();
    }

    @Test
    void anAbsentFieldReadsAsEmptyAsTheApiServerReadsIt() {
        assertThat(FieldSelector.parse("involvedObject.kind=Node,involvedObject.uid=n1,involvedObject.name=n1,involvedObject.namespace=")
                .matches(NODE_EVENT)).isTrue();
        assertThat(FieldSelector.parse("involvedObject.namespace=default").matches(NODE_EVENT)).isFalse();
    }

    @Test
    void metadataFieldsSelectToo() {
        assertThat(FieldSelector.parse("metadata.name=p,metadata.namespace=shop").matches(POD)).isTrue();
    }

    @Test
    void aTermWithoutAnOperatorIsRefused() {
        assertThatThrownBy(() -> FieldSelector.parse("spec.nodeName")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spec.nodeName");
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
