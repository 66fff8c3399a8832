package io.dentryguard.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Reads a NodeHealth's spec or status field by field when it does not read whole, keeping every field
 * that reads and naming each one that does not (in {@link Readable#unreadableFields()}), instead of
 * failing the whole object. A failure would stop the informer that delivers it, and with it every
 * node's protection: the API server enforces the CRD's schema, but not across version skew (a newer
 * probe's verdict before the CRD is upgraded) or an edited CRD.
 */
abstract class FieldByFieldDeserializer<T extends FieldByFieldDeserializer.Readable> extends StdDeserializer<T> {

    /** An object read field by field: what did not read is named here and left unset. */
    interface Readable {
        /** One line per field that could not be read, for example {@code status.verdict "Exploded" is not one of ...}. */
        List<String> unreadableFields();

        void setUnreadableFields(List<String> problems);

        /** Set when the value was not an object at all (a string, a list): nothing of it was read. */
        void setNotAnObject(boolean notAnObject);
    }

    /** A bad value is quoted in conditions and Events, which every controller watching Nodes receives: not whole. */
    static final int MAX_QUOTED = 200;

    private final String prefix;
    /** An empty object, for when nothing reads. */
    private final Supplier<T> empty;

    FieldByFieldDeserializer(Class<T> type, String prefix, Supplier<T> empty) {
        super(type);
        this.prefix = prefix;
        this.empty = empty;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonNode tree = ctxt.readTree(p);
        Class<T> type = (Class<T>) handledType();
        if (!tree.isObject()) {
            T empty = this.empty.get();
            empty.setUnreadableFields(List.of(prefix + " " + quoted(tree) + " is not an object"));
            empty.setNotAnObject(true);
            return empty;
        }
        try {
            return ctxt.readTreeAsValue(tree, type);
        } catch (JsonMappingException whole) {
            // Only now field by field: a read of each field on its own finds every bad one.
            ObjectNode readable = JsonNodeFactory.instance.objectNode();
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : tree.properties()) {
                try {
                    ctxt.readTreeAsValue(JsonNodeFactory.instance.objectNode().set(field.getKey(), field.getValue()), type);
                    readable.set(field.getKey(), field.getValue());
                } catch (JsonMappingException e) {
                    problems.add(describe(tree, e));
                }
            }
            T partial = ctxt.readTreeAsValue(readable, type);
            partial.setUnreadableFields(List.copyOf(problems));
            return partial;
        }
    }

    /** {@code status.offenders[0].confidence "Extreme" is not one of High, Medium, Low}. */
    private String describe(JsonNode tree, JsonMappingException e) {
        StringBuilder path = new StringBuilder(prefix);
        JsonNode value = tree;
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append('.').append(r.getFieldName());
                value = value == null ? null : value.get(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
                value = value == null ? null : value.get(r.getIndex());
            }
        }
        return path + " " + (value == null ? "" : quoted(value) + " ") + expected(e);
    }

    private static String quoted(JsonNode value) {
        String text = value.toString();
        return text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED) + "... (" + text.length() + " characters)";
    }

    private static String expected(JsonMappingException e) {
        if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            return "is not one of " + Arrays.stream(f.getTargetType().getEnumConstants()).map(c -> jsonName((Enum<?>) c))
                    .collect(Collectors.joining(", "));
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m && m.getTargetType() != null) {
            return "is not " + article(m.getTargetType());
        }
        return "cannot be read (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")";
    }

    private static String jsonName(Enum<?> c) {
        try {
            var property = c.getDeclaringClass().getField(c.name()).getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
            return property == null ? c.name() : property.value();
        } catch (NoSuchFieldException e) {
            return c.name();
        }
    }

    private static String article(Class<?> type) {
        if (Number.class.isAssignableFrom(type) || type == long.class || type == double.class || type == int.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
    }

    // Jackson makes deserializers from a class with a constructor of no arguments.
    static final class Status extends FieldByFieldDeserializer<NodeHealthStatus> {
        Status() {
            super(NodeHealthStatus.class, "status", NodeHealthStatus::new);
        }
    }

    static final class Spec extends FieldByFieldDeserializer<NodeHealthSpec> {
        Spec() {
            super(NodeHealthSpec.class, "spec", NodeHealthSpec::new);
        }
    }
}
