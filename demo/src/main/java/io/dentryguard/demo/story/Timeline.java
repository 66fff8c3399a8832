package io.dentryguard.demo.story;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dentryguard.demo.story.TimelineEntry.Event;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The demo's timeline: each entry printed as it happens, as a line for people or, with
 * {@code --json}, as one JSON object per line ({@code t}, {@code event}, {@code message},
 * {@code victimLoopMs}, {@code data}), and kept for the summary and the tests.
 */
public final class Timeline {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final boolean json;
    private final long startedNanos;
    private final Supplier<Double> victimLoopMillis;
    private final List<TimelineEntry> entries = new ArrayList<>();

    public Timeline(PrintStream out, boolean json, long startedNanos, Supplier<Double> victimLoopMillis) {
        this.out = out;
        this.json = json;
        this.startedNanos = startedNanos;
        this.victimLoopMillis = victimLoopMillis;
    }

    public synchronized TimelineEntry emit(Event event, String message, Map<String, Object> fields) {
        TimelineEntry e = new TimelineEntry((System.nanoTime() - startedNanos) / 1e9, event, message, fields, victimLoopMillis.get());
        entries.add(e);
        out.println(json ? jsonLine(e) : textLine(e));
        out.flush();
        return e;
    }

    public synchronized List<TimelineEntry> entries() {
        return List.copyOf(entries);
    }

    /** Seconds since the demo started. */
    public double now() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    static String textLine(TimelineEntry e) {
        String victim = e.victimLoopMillis() == null ? "" : String.format(Locale.ROOT, "%6.0f ms", e.victimLoopMillis());
        return String.format(Locale.ROOT, "%6.1f s  %-9s  %-18s %s", e.seconds(), victim, e.event().jsonName, e.message());
    }

    static String jsonLine(TimelineEntry e) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("t", Math.round(e.seconds() * 10) / 10.0);
        line.put("event", e.event().jsonName);
        line.put("message", e.message());
        line.put("victimLoopMs", e.victimLoopMillis() == null ? null : Math.round(e.victimLoopMillis() * 10) / 10.0);
        line.put("data", e.fields());
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("a timeline entry did not turn into JSON: " + e, ex);
        }
    }

    /** The header of the text timeline. */
    public void printHeader() {
        if (!json) {
            out.printf(Locale.ROOT, "%8s  %-9s  %-18s %s%n", "time", "victim", "event", "what happened");
        }
    }
}
