package io.dentryguard.demo.cluster.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** The API server's default table (NAME, AGE): for every kind without a printer of its own. */
public final class NameAgeTablePrinter implements TablePrinter {
    @Override
    public List<Column> columns() {
        return List.of(Column.NAME, Column.AGE);
    }

    @Override
    public List<Object> cells(JsonNode object, Instant now) {
        return List.of(JsonFields.text(object, "metadata.name"), Ages.since(JsonFields.text(object, "metadata.creationTimestamp"), now));
    }
}
