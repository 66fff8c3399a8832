package io.dentryguard.demo.story;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dentryguard.demo.story.TimelineEntry.Event;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimelineTest {
    @Test
    void jsonLinesCarryTheEventItsFiguresAndTheVictimsLoopTime() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Timeline t = new Timeline(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, System.nanoTime(), () -> 41.26);

        t.emit(Event.TAINT_ADDED, "taint added", Map.of("taint", "k=v:NoSchedule"));

        JsonNode line = new ObjectMapper().readTree(bytes.toString(StandardCharsets.UTF_8).strip());
        assertThat(line.path("event").asText()).isEqualTo("taintAdded");
        assertThat(line.path("message").asText()).isEqualTo("taint added");
        assertThat(line.path("victimLoopMs").asDouble()).isEqualTo(41.3);
        assertThat(line.path("data").path("taint").asText()).isEqualTo("k=v:NoSchedule");
        assertThat(line.path("t").isNumber()).isTrue();
        assertThat(t.entries()).singleElement().extracting(TimelineEntry::event).isEqualTo(Event.TAINT_ADDED);
    }

    @Test
    void textLinesShowTimeVictimEventAndMessage() {
        String line = Timeline.textLine(new TimelineEntry(12.34, Event.EVICTED, "operator evicted demo/offender-1", Map.of(), 52.0));
        assertThat(line).matches("\\s+12\\.3 s\\s+52 ms\\s+evicted\\s+operator evicted demo/offender-1");
        assertThat(Timeline.textLine(new TimelineEntry(1, Event.STARTED, "x", Map.of(), null))).doesNotContain("ms");
    }
}
