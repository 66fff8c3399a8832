package io.dentryguard.demo.cluster.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Core v1 Events as {@code kubectl get events [-o wide]} shows them from a real API server. */
public final class EventTablePrinter implements TablePrinter {
    @Override
    public List<Column> columns() {
        return List.of(Column.text("Last Seen", "Time since the event was last seen."), Column.text("Type", "Type of this event."),
                Column.text("Reason", "Why the event happened."), Column.text("Object", "The object this event is about."),
                Column.wide("Subobject", "The part of the object this event is about."),
                Column.wide("Source", "The component that reported this event."), Column.text("Message", "A description of the event."),
                Column.wide("First Seen", "Time since the event was first seen."), Column.wide("Count", "How many times it happened."),
                new Column("Name", "string", "name", 1, "The name of the event."));
    }

    @Override
    public List<Object> cells(JsonNode event, Instant now) {
        String first = firstNonEmpty(JsonFields.text(event, "firstTimestamp"), JsonFields.text(event, "eventTime"),
                JsonFields.text(event, "metadata.creationTimestamp"));
        String last = firstNonEmpty(JsonFields.text(event, "lastTimestamp"), JsonFields.text(event, "series.lastObservedTime"), first);
        String object = JsonFields.text(event, "involvedObject.kind").toLowerCase(Locale.ROOT) + "/"
                + JsonFields.text(event, "involvedObject.name");
        return List.of(Ages.since(last, now), JsonFields.text(event, "type"), JsonFields.text(event, "reason"), object,
                JsonFields.text(event, "involvedObject.fieldPath"), source(event), JsonFields.text(event, "message"),
                Ages.since(first, now), Math.max(1, event.path("count").asInt()), JsonFields.text(event, "metadata.name"));
    }

    private static String source(JsonNode event) {
        List<String> parts = new ArrayList<>();
        for (String field : List.of("source.component", "source.host")) {
            String text = JsonFields.text(event, field);
            if (!text.isEmpty()) {
                parts.add(text);
            }
        }
        return String.join(", ", parts);
    }

    private static String firstNonEmpty(String... texts) {
        for (String text : texts) {
            if (!text.isEmpty()) {
                return text;
            }
        }
        return "";
    }
}
