package io.dentryguard.demo.cluster.mock;

import com.fasterxml.jackson.databind.JsonNode;
import io.dentryguard.demo.cluster.table.JsonFields;
import java.util.ArrayList;
import java.util.List;

/**
 * A field selector ({@code spec.nodeName=n1,status.phase!=Failed}) evaluated on an object's JSON, as the
 * API server does: an absent field reads as "". The mock's CRUD store matches field selectors only
 * against names and namespaces, so a list by {@code spec.nodeName} or {@code involvedObject.name} found
 * nothing there.
 */
public record FieldSelector(List<Requirement> requirements) {

    public record Requirement(String field, boolean equal, String value) {
        boolean matches(JsonNode object) {
            return JsonFields.text(object, field).equals(value) == equal;
        }
    }

    public static FieldSelector parse(String selector) {
        List<Requirement> requirements = new ArrayList<>();
        for (String term : selector.split(",")) {
            if (term.isBlank()) {
                continue;
            }
            int notEqual = term.indexOf("!=");
            if (notEqual >= 0) {
                requirements.add(new Requirement(term.substring(0, notEqual).trim(), false, term.substring(notEqual + 2).trim()));
                continue;
            }
            int eq = term.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("invalid field selector term: " + term);
            }
            String value = term.substring(eq + 1);
            requirements.add(new Requirement(term.substring(0, eq).trim(), true, (value.startsWith("=") ? value.substring(1) : value).trim()));
        }
        return new FieldSelector(List.copyOf(requirements));
    }

    public boolean matches(JsonNode object) {
        return requirements.stream().allMatch(r -> r.matches(object));
    }
}
