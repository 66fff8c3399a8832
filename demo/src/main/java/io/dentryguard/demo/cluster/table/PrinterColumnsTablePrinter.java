package io.dentryguard.demo.cluster.table;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinitionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A custom resource as its CRD's additionalPrinterColumns print it: NAME, then each column's value at
 * its JSONPath (simple dotted paths only), dates as ages. Without printer columns, NAME and AGE, as
 * the API server does.
 */
public final class PrinterColumnsTablePrinter implements TablePrinter {
    private final List<CustomResourceColumnDefinition> printerColumns;

    public PrinterColumnsTablePrinter(List<CustomResourceColumnDefinition> printerColumns) {
        this.printerColumns = printerColumns == null || printerColumns.isEmpty()
                ? List.of(new CustomResourceColumnDefinitionBuilder().withName("Age").withType("date")
                        .withJsonPath(".metadata.creationTimestamp").build())
                : List.copyOf(printerColumns);
    }

    @Override
    public List<Column> columns() {
        List<Column> columns = new ArrayList<>(List.of(Column.NAME));
        for (CustomResourceColumnDefinition c : printerColumns) {
            columns.add(new Column(c.getName(), "date".equals(c.getType()) ? "string" : c.getType(),
                    Objects.requireNonNullElse(c.getFormat(), ""), Objects.requireNonNullElse(c.getPriority(), 0),
                    Objects.requireNonNullElse(c.getDescription(), "")));
        }
        return columns;
    }

    @Override
    public List<Object> cells(JsonNode object, Instant now) {
        List<Object> cells = new ArrayList<>(List.of(JsonFields.text(object, "metadata.name")));
        for (CustomResourceColumnDefinition c : printerColumns) {
            JsonNode value = JsonFields.at(object, c.getJsonPath());
            if (value.isMissingNode() || value.isNull()) {
                cells.add(null);
            } else if ("date".equals(c.getType())) {
                cells.add(Ages.since(value.asText(), now));
            } else {
                cells.add(value);
            }
        }
        return cells;
    }
}
