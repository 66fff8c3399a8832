package io.dentryguard.demo.story;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of the demo's timeline: when (seconds since the demo started), what ({@link Event}), a
 * sentence for the terminal, the figures behind it for {@code --json}, and the victim's loop time at
 * that moment (milliseconds, median of its last loops; null before it reported any).
 */
public record TimelineEntry(double seconds, Event event, String message, Map<String, Object> fields, Double victimLoopMillis) {
    public TimelineEntry {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** What happened, in the order the story usually tells it; names as they appear in JSON. */
    public enum Event {
        STARTED("started"),
        BASELINE("baseline"),
        FLOOD_STARTED("floodStarted"),
        VERDICT_CHANGED("verdictChanged"),
        TAINT_ADDED("taintAdded"),
        OFFENDER_NAMED("offenderNamed"),
        RECLAIM_REQUESTED("reclaimRequested"),
        RECLAIM_ANSWERED("reclaimAnswered"),
        EVICTED("evicted"),
        POD_REMOVED("podRemoved"),
        REPLACEMENT_PLACED("replacementPlaced"),
        FLOOD_LIMIT_REACHED("floodLimitReached"),
        RECOVERED("recovered"),
        TAINT_REMOVED("taintRemoved"),
        VICTIM("victim"),
        SUMMARY("summary"),
        FAILED("failed");

        public final String jsonName;

        Event(String jsonName) {
            this.jsonName = jsonName;
        }
    }
}
