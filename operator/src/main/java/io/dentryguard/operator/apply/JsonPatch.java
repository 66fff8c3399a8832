package io.dentryguard.operator.apply;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An RFC 6902 JSON Patch being built. The operator writes lists (taints, conditions, recorded
 * actions) only this way: a JSON merge patch replaces lists on a real API server, but fabric8's mock
 * server appends to them, and a strategic merge patch is not served by the mock at all.
 */
final class JsonPatch {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArrayNode ops = JSON.createArrayNode();

    JsonPatch test(String path, Object value) {
        return op("test", path, value);
    }

    /** Sets an object member (creating or replacing it) or appends to a list with a path ending in "-". */
    JsonPatch add(String path, Object value) {
        return op("add", path, value);
    }

    JsonPatch replace(String path, Object value) {
        return op("replace", path, value);
    }

    JsonPatch remove(String path) {
        ObjectNode op = ops.addObject();
        op.put("op", "remove");
        op.put("path", path);
        return this;
    }

    boolean isEmpty() {
        return ops.isEmpty();
    }

    private JsonPatch op(String name, String path, Object value) {
        ObjectNode op = ops.addObject();
        op.put("op", name);
        op.put("path", path);
        op.set("value", JSON.valueToTree(value));
        return this;
    }

    @Override
    public String toString() {
        return ops.toString();
    }
}
