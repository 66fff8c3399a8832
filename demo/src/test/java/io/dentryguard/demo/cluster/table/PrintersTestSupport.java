package io.dentryguard.demo.cluster.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Objects as JSON, and each printer's row as column name to cell, for readable assertions. */
final class PrintersTestSupport {
    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private PrintersTestSupport() {}

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Column name to cell, cells as kubectl prints them (JSON values as their text). */
    static Map<String, String> row(TablePrinter printer, JsonNode object) {
        Map<String, String> row = new LinkedHashMap<>();
        var cells = printer.cells(object, NOW);
        var columns = printer.columns();
        if (cells.size() != columns.size()) {
            throw new AssertionError(cells.size() + " cells for " + columns.size() + " columns");
        }
        for (int i = 0; i < columns.size(); i++) {
            Object cell = cells.get(i);
            row.put(columns.get(i).name(), cell == null ? null : cell instanceof JsonNode n ? n.asText() : cell.toString());
        }
        return row;
    }
}
