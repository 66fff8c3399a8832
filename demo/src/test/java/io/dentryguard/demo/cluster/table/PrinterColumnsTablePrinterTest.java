package io.dentryguard.demo.cluster.table;

import static io.dentryguard.demo.cluster.table.PrintersTestSupport.json;
import static io.dentryguard.demo.cluster.table.PrintersTestSupport.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrinterColumnsTablePrinterTest {
    private static final CustomResourceDefinition CRD = Serialization.unmarshal(
            NodeHealth.class.getResourceAsStream("/META-INF/fabric8/nodehealths.dentryguard.io-v1.yml"), CustomResourceDefinition.class);
    private final TablePrinter printer = new TablePrinters().withCustomResource(CRD).forResource("dentryguard.io", "nodehealths");

    @Test
    void theNodeHealthCrdsColumnsComeAfterTheName() {
        assertThat(printer.columns()).extracting(Column::name)
                .containsExactly("Name", "Verdict", "Chain", "Slowdown", "Negative", "Top-Offender", "Tainted", "Last-Report");
    }

    @Test
    void eachColumnIsTheValueAtItsJsonPathAndDatesAreAges() {
        assertThat(row(printer, json("""
                {"metadata": {"name": "n1"}, "status": {"verdict": "Critical", "chainLength": 12.5, "lookupRatio": 4,
                 "negativeDentries": 123456789, "topOffender": "shop/db-0", "tainted": false, "lastReportTime": "2026-01-01T11:59:55Z"}}""")))
                .containsExactly(java.util.Map.entry("Name", "n1"), java.util.Map.entry("Verdict", "Critical"),
                        java.util.Map.entry("Chain", "12.5"), java.util.Map.entry("Slowdown", "4"),
                        java.util.Map.entry("Negative", "123456789"), java.util.Map.entry("Top-Offender", "shop/db-0"),
                        java.util.Map.entry("Tainted", "false"), java.util.Map.entry("Last-Report", "5s"));
    }

    @Test
    void aMissingValueIsAnEmptyCell() {
        assertThat(row(printer, json("{\"metadata\": {\"name\": \"n1\"}}"))).containsEntry("Verdict", null).containsEntry("Last-Report", null);
    }

    @Test
    void withoutPrinterColumnsACustomResourceShowsItsAge() {
        TablePrinter plain = new PrinterColumnsTablePrinter(List.of());
        assertThat(plain.columns()).extracting(Column::name).containsExactly("Name", "Age");
        assertThat(row(plain, json("{\"metadata\": {\"name\": \"x\", \"creationTimestamp\": \"2026-01-01T10:00:00Z\"}}")))
                .containsEntry("Age", "120m");
    }
}
