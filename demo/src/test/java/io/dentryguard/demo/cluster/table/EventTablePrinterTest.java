package io.dentryguard.demo.cluster.table;

import static io.dentryguard.demo.cluster.table.PrintersTestSupport.json;
import static io.dentryguard.demo.cluster.table.PrintersTestSupport.row;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventTablePrinterTest {
    private final EventTablePrinter printer = new EventTablePrinter();

    @Test
    void anEventShowsWhenWhatAndAboutWhich() {
        assertThat(row(printer, json("""
                {"metadata": {"name": "n1.abc"}, "type": "Warning", "reason": "DentryPressure", "message": "flood",
                 "involvedObject": {"kind": "Node", "name": "n1"}, "source": {"component": "operator", "host": "n1"},
                 "firstTimestamp": "2026-01-01T11:00:00Z", "lastTimestamp": "2026-01-01T11:59:30Z", "count": 4}""")))
                .containsEntry("Last Seen", "30s").containsEntry("Type", "Warning").containsEntry("Reason", "DentryPressure")
                .containsEntry("Object", "node/n1").containsEntry("Message", "flood").containsEntry("Source", "operator, n1")
                .containsEntry("First Seen", "60m").containsEntry("Count", "4").containsEntry("Name", "n1.abc");
    }

    @Test
    void anEventWithOnlyAnEventTimeIsAgedFromIt() {
        assertThat(row(printer, json("""
                {"metadata": {"name": "e"}, "involvedObject": {"kind": "Pod", "name": "p"}, "eventTime": "2026-01-01T11:58:00Z"}""")))
                .containsEntry("Last Seen", "2m").containsEntry("First Seen", "2m").containsEntry("Object", "pod/p")
                .containsEntry("Count", "1");
    }

    @Test
    void theDefaultColumnsAreThoseOfKubectlGetEvents() {
        assertThat(printer.columns()).filteredOn(c -> c.priority() == 0).extracting(Column::name)
                .containsExactly("Last Seen", "Type", "Reason", "Object", "Message");
    }
}
