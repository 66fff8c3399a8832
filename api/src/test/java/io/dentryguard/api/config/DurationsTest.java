package io.dentryguard.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "500ms, PT0.5S",
        "90s, PT1M30S",
        "5m, PT5M",
        "1h30m, PT1H30M",
        "1h0m5s250ms, PT1H5.25S",
        "0s, PT0S",
        "' 5s ', PT5S",
    })
    void readsWhatKubernetesManifestsWrite(String text, Duration expected) {
        assertThat(Durations.parse(text)).contains(expected);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "5", "soon", "PT5S", "pt5s", "-5s", "+5s", "1.5h", "5 s", "5x", "5d", "s", "1h 30m", "5sec",
        "99999999999999999999s", "9223372036854775807h"})
    void refusesEverythingElse(String text) {
        assertThat(Durations.parse(text)).isEmpty();
    }

    @Test
    void nothingIsNoDuration() {
        assertThat(Durations.parse(null)).isEmpty();
    }
}
