package io.dentryguard.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PropertiesFileTest {
    private static final List<String> KNOWN = List.of("hold-down", "dry-run", "taint.critical");

    @TempDir
    Path dir;

    @Test
    void readsTheKeysItKnows() throws Exception {
        Path f = Files.writeString(dir.resolve("s.properties"), "# a comment\nhold-down = 5m\ntaint.critical=NoExecute\n");
        assertThat(PropertiesFile.read(f, KNOWN)).isEqualTo(Map.of("hold-down", "5m", "taint.critical", "NoExecute"));
    }

    @Test
    void anUnknownKeyIsOneLineNamingTheFileTheKeyAndTheKnownOnes() throws Exception {
        Path f = Files.writeString(dir.resolve("s.properties"), "holddown=5m\nzzz=1\n");
        assertThatThrownBy(() -> PropertiesFile.read(f, KNOWN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("config " + f + ": unknown key 'holddown' (known: hold-down, dry-run, taint.critical)");
    }

    @Test
    void aFileThatCannotBeReadIsNamed() throws Exception {
        Path absent = dir.resolve("absent.properties");
        assertThatThrownBy(() -> PropertiesFile.read(absent, KNOWN)).hasMessageStartingWith("config " + absent + ": cannot be read: ")
                .hasMessageNotContaining("\n");
        Path badEscape = Files.writeString(dir.resolve("bad.properties"), "hold-down=\\u12\n");
        assertThatThrownBy(() -> PropertiesFile.read(badEscape, KNOWN)).hasMessageStartingWith("config " + badEscape + ": cannot be read: ");
    }
}
