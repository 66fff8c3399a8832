package io.dentryguard.probe.exporter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;

/** One JSON document per line: what scripts read. */
public final class JsonLinesSink implements ReportSink {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final PrintStream out;

    public JsonLinesSink(PrintStream out) {
        this.out = out;
    }

    public static String toJson(ProbeReport report) {
        try {
            return MAPPER.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report cannot be written as JSON", e);
        }
    }

    @Override
    public void publish(ProbeReport report) {
        out.println(toJson(report));
        out.flush();
    }
}
