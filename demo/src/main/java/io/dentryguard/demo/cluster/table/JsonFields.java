package io.dentryguard.demo.cluster.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/** Reads fields of an object's JSON by dotted path ({@code status.nodeInfo.kubeletVersion}), as field selectors and printer columns name them. */
public final class JsonFields {
    private JsonFields() {}

    /** The node at {@code path} (a leading dot allowed), or a missing node. */
    public static JsonNode at(JsonNode object, String path) {
        JsonNode node = object;
        for (String field : path.replaceFirst("^\\.", "").split("\\.")) {
            if (node == null || !node.isObject()) {
                return MissingNode.getInstance();
            }
            node = node.get(field);
        }
        return node == null ? MissingNode.getInstance() : node;
    }

    /** The text at {@code path}, empty where there is none: what the API server compares field selectors with. */
    public static String text(JsonNode object, String path) {
        JsonNode node = at(object, path);
        return node.isValueNode() ? node.asText() : "";
    }

    /** The text at {@code path}, or {@code orElse} where it is absent or empty (kubectl's "&lt;none&gt;"). */
    public static String textOr(JsonNode object, String path, String orElse) {
        String text = text(object, path);
        return text.isEmpty() ? orElse : text;
    }
}
