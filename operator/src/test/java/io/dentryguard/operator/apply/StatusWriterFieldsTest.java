package io.dentryguard.operator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.dentryguard.operator.decide.NodeHealthFields;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator writes exactly the status fields the api module declares as its own (StatusWriter's and
 * LadderWriter's): a field it
 * wrote but the api did not list would be taken for the probe's and reported unreadable as the
 * report's fault; one listed but not written would never be repaired.
 */
class StatusWriterFieldsTest {
    @Test
    void writesExactlyTheOperatorsFieldsOfTheApi() {
        NodeHealthFields any = new NodeHealthFields(true, "2026-11-30T08:00:00Z", null, List.of(), List.of());
        java.util.Set<String> written = new java.util.HashSet<>(StatusWriter.fields(any).keySet());
        written.add(LadderWriter.STATUS_FIELD);
        assertThat(written).containsExactlyInAnyOrderElementsOf(NodeHealthStatus.OPERATOR_FIELDS);
        assertThat(Arrays.stream(NodeHealthFields.class.getRecordComponents()).map(c -> c.getName()))
                .containsExactlyInAnyOrderElementsOf(StatusWriter.fields(any).keySet());
    }
}
