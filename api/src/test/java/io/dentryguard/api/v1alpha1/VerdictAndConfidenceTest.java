package io.dentryguard.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dentryguard.api.v1alpha1.OffenderStatus.Confidence;
import java.util.Arrays;
import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VerdictAndConfidenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(Verdict.class)
    void aVerdictsDisplayNameIsItsJsonSpelling(Verdict v) throws Exception {
        assertThat(JSON.writeValueAsString(v)).isEqualTo("\"" + v.displayName() + "\"");
        assertThat(JSON.readValue("\"" + v.displayName() + "\"", Verdict.class)).isEqualTo(v);
    }

    @ParameterizedTest
    @EnumSource(Confidence.class)
    void aConfidencesDisplayNameIsItsJsonSpelling(Confidence c) throws Exception {
        assertThat(JSON.writeValueAsString(c)).isEqualTo("\"" + c.displayName() + "\"");
    }

    @Test
    void verdictsRiseInSeverityAndUnknownIsBelowThemAll() {
        assertThat(Arrays.stream(Verdict.values()).sorted(Comparator.comparingInt(Verdict::severity)))
                .containsExactly(Verdict.UNKNOWN, Verdict.HEALTHY, Verdict.WARNING, Verdict.DEGRADED, Verdict.CRITICAL);
        assertThat(Verdict.CRITICAL.worseThan(Verdict.DEGRADED)).isTrue();
        assertThat(Verdict.HEALTHY.worseThan(Verdict.HEALTHY)).isFalse();
        assertThat(Verdict.worst(Verdict.WARNING, Verdict.DEGRADED)).isEqualTo(Verdict.DEGRADED);
        assertThat(Verdict.worst(Verdict.UNKNOWN, Verdict.HEALTHY)).isEqualTo(Verdict.HEALTHY);
    }

    @Test
    void confidenceGrowsFromLowToHigh() {
        assertThat(Arrays.stream(Confidence.values()).sorted(Comparator.comparingInt(Confidence::strength)))
                .containsExactly(Confidence.LOW, Confidence.MEDIUM, Confidence.HIGH);
    }
}
