package io.dentryguard.demo.cluster.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgesTest {
    @ParameterizedTest(name = "{0} s is {1}")
    @CsvSource({"0, 0s", "119, 119s", "120, 2m", "150, 2m30s", "599, 9m59s", "600, 10m", "10799, 179m", "10800, 3h", "11100, 3h5m",
            "28800, 8h", "172799, 47h", "172800, 2d", "180000, 2d2h", "691200, 8d", "63072000, 2y", "63158400, 2y1d", "252288000, 8y",
            "-0.5, 0s", "-5, <invalid>"})
    void agesReadAsKubernetesWritesThem(double seconds, String age) {
        assertThat(Ages.human(Duration.ofMillis((long) (seconds * 1000)))).isEqualTo(age);
    }

    @ParameterizedTest
    @CsvSource(value = {"'', <unknown>", "yesterday, <unknown>", "2026-01-01T11:59:00Z, 60s"})
    void aTimestampIsAgedAtNowAndNoneOrGarbageIsUnknown(String timestamp, String age) {
        assertThat(Ages.since(timestamp, PrintersTestSupport.NOW)).isEqualTo(age);
    }
}
