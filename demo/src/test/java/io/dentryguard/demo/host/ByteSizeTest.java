package io.dentryguard.demo.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {
    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({"2GiB, 2147483648", "2G, 2147483648", "512MiB, 536870912", "512mi, 536870912", "300M, 314572800", "4096, 4096", "1KiB, 1024",
            "1TiB, 1099511627776"})
    void sizesAsPeopleWriteThem(String text, long bytes) {
        assertThat(ByteSize.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @ValueSource(strings = {"", "two gigs", "-1G", "1.5G", "1P", "99999999999999999999G"})
    void nonsenseIsRefusedWithExamples(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(text.isEmpty() ? "''" : text);
    }
}
