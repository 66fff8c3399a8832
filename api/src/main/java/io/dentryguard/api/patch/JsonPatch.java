package io.dentryguard.api.patch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * An RFC 6902 JSON Patch being built. Lists (taints, conditions, reasons, offenders, recorded
 * actions) are written only this way: a JSON merge patch replaces lists on a real API server, but
 * fabric8's mock server appends to them, and a strategic merge patch is not served by the mock at all.
 */
public final class JsonPatch {
    /** fabric8's own mapper, so that values are written as the client writes whole objects. */
    private static final ObjectMapper JSON = Serialization.jsonMapper();

    private final ArrayNode ops = JSON.createArrayNode();

    public JsonPatch test(String path, Object value) {
        return op("test", path, value);
    }

    /** Sets an object member (creating or replacing it) or appends to a list with a path ending in "-". */
    public JsonPatch add(String path, Object value) {
        return op("add", path, value);
    }

    public JsonPatch replace(String path, Object value) {
        return op("replace", path, value);
    }

    public JsonPatch remove(String path) {
        ObjectNode op = ops.addObject();
        op.put("op", "remove");
        op.put("path", path);
        return this;
    }

    public boolean isEmpty() {
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
