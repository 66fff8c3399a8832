package io.dentryguard.demo.cluster.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A {@code meta.k8s.io/v1 Table}, what kubectl asks for with {@code Accept: ...;as=Table}: the
 * printer's columns and a row per object, each row holding the whole object too (kubectl reads the
 * NAMESPACE column of {@code -A} from it).
 */
public final class ServerSideTable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerSideTable() {}

    /** The table of a list (its {@code items}) or of a single object. */
    public static ObjectNode of(TablePrinter printer, JsonNode listOrObject, Instant now) {
        ObjectNode table = JSON.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        ObjectNode metadata = table.putObject("metadata");
        JsonNode listMetadata = listOrObject.path("metadata");
        if (listOrObject.has("items") && listMetadata.has("resourceVersion")) {
            metadata.set("resourceVersion", listMetadata.get("resourceVersion"));
        }
        ArrayNode columns = table.putArray("columnDefinitions");
        for (Column c : printer.columns()) {
            columns.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
                    .put("description", c.description()).put("priority", c.priority());
        }
        ArrayNode rows = table.putArray("rows");
        JsonNode objects = listOrObject.has("items") ? listOrObject.get("items") : JSON.createArrayNode().add(listOrObject);
        for (JsonNode object : objects) {
            ObjectNode row = rows.addObject();
            row.set("cells", JSON.valueToTree(printer.cells(object, now)));
            row.set("object", object);
        }
        return table;
    }
}
