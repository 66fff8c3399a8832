package io.dentryguard.demo.cluster.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** How the API server prints one kind of object as a row of a server-side Table, for kubectl get. */
public interface TablePrinter {
    List<Column> columns();

    /** One cell per column, in order: a String, Number, Boolean, JsonNode, or null for none. */
    List<Object> cells(JsonNode object, Instant now);
}
