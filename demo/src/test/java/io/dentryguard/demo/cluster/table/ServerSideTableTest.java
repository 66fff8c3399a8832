package io.dentryguard.demo.cluster.table;

import static io.dentryguard.demo.cluster.table.PrintersTestSupport.NOW;
import static io.dentryguard.demo.cluster.table.PrintersTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ServerSideTableTest {
    @Test
    void aListBecomesATableWithARowPerItemHoldingTheItem() {
        JsonNode table = ServerSideTable.of(new NameAgeTablePrinter(), json("""
                {"kind": "PodList", "metadata": {"resourceVersion": "7"},
                 "items": [{"metadata": {"name": "a", "namespace": "x"}}, {"metadata": {"name": "b", "namespace": "y"}}]}"""), NOW);
        assertThat(table.path("kind").asText()).isEqualTo("Table");
        assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        assertThat(table.path("metadata").path("resourceVersion").asText()).isEqualTo("7");
        assertThat(table.path("columnDefinitions").findValuesAsText("name")).containsExactly("Name", "Age");
        assertThat(table.path("columnDefinitions").get(0).path("format").asText()).isEqualTo("name");
        assertThat(table.path("rows")).hasSize(2);
        assertThat(table.path("rows").get(1).path("cells").toString()).isEqualTo("[\"b\",\"<unknown>\"]");
        assertThat(table.path("rows").get(1).path("object").path("metadata").path("namespace").asText()).isEqualTo("y");
    }

    @Test
    void aSingleObjectBecomesATableOfOneRow() {
        JsonNode table = ServerSideTable.of(new NameAgeTablePrinter(), json("{\"metadata\": {\"name\": \"solo\"}}"), NOW);
        assertThat(table.path("rows")).hasSize(1);
        assertThat(table.path("rows").get(0).path("cells").get(0).asText()).isEqualTo("solo");
    }

    @Test
    void kindsWithoutAPrinterOfTheirOwnGetNameAndAge() {
        assertThat(new TablePrinters().forResource("apps", "deployments")).isInstanceOf(NameAgeTablePrinter.class);
        assertThat(new TablePrinters().forResource("", "pods")).isInstanceOf(PodTablePrinter.class);
    }
}
