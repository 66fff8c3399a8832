package io.dentryguard.probe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dentryguard.probe.detector.DetectorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DetectorConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void emptyMeansDefaults() {
        assertThat(DetectorConfigFile.fromProperties("f", Map.of())).isEqualTo(DetectorConfig.defaults());
    }

    @Test
    void overridesWhatItNames() {
        DetectorConfig c = DetectorConfigFile.fromProperties("f", Map.of("chainLength.degraded", "3", "raiseAfter", " 4 "));
        assertThat(c.chainLength().degraded()).isEqualTo(3.0);
        assertThat(c.raiseAfter()).isEqualTo(4);
        assertThat(c.clearAfter()).isEqualTo(DetectorConfig.defaults().clearAfter());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "raiseAfter|abc|config f: key raiseAfter: 'abc' is not a whole number",
        "chainLength.warning|NaN|config f: key chainLength.warning: 'NaN' is not a number",
        "raiseAfter|0|config f: raiseAfter must be at least 1, got 0",
        "chainLength.critical|2|config f: thresholds must be positive, finite and rising: warning 1.0 <= degraded 2.5 <= critical 2.0",
        "baselineMaxChainLength|5|config f: baselineMaxChainLength must be positive and below the chain-length warning threshold",
    })
    void badValuesAreOneLineNamingTheKey(String key, String value, String message) {
        assertThatThrownBy(() -> DetectorConfigFile.fromProperties("f", Map.of(key, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message)
                .hasMessageNotContaining("\n");
    }

    @Test
    void theFileIsReadAndAnUnknownKeyRefusedNamingFileAndKey() throws Exception {
        Path file = Files.writeString(dir.resolve("probe.properties"), "raiseAfter=4\n");
        assertThat(DetectorConfigFile.load(file).raiseAfter()).isEqualTo(4);

        Files.writeString(file, "chainLenght.warning=1\n");
        assertThatThrownBy(() -> DetectorConfigFile.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("config " + file + ": unknown key 'chainLenght.warning' (known: chainLength.warning, ")
                .hasMessageNotContaining("\n");
    }
}
