package io.dentryguard.probe.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DentrySlabTest {
    private static final String HEADER = "slabinfo - version: 2.1\n# name <active_objs> <num_objs> <objsize> ...\n";

    @ParameterizedTest
    @CsvSource({
        "linux-2.6.32, 103165783, 103165820, 192",
        "linux-3.10,   412931,    413175,    192",
        "linux-4.19,   2047815,   2049174,   192",
        "linux-5.4,    20971518,  20971530,  192",
    })
    void parsesEveryKernelGeneration(String kernel, long active, long objects, long size) throws Exception {
        DentrySlab s = DentrySlab.parse(KernelSamples.read(kernel, "slabinfo"));
        assertThat(s.activeObjects()).isEqualTo(active);
        assertThat(s.objects()).isEqualTo(objects);
        assertThat(s.objectSizeBytes()).isEqualTo(size);
        assertThat(s.bytes()).isEqualTo(objects * size);
    }

    @Test
    void findsTheDentryLineAmongTheCapturedSixKernelCaches() throws Exception {
        String text = KernelSamples.read("linux-6.18", "slabinfo");
        String line = text.lines().filter(l -> l.startsWith("dentry ")).findFirst().orElseThrow();
        DentrySlab s = DentrySlab.parse(text);
        assertThat(s.objects()).isEqualTo(Long.parseLong(line.split("\\s+")[2]));
    }

    @Test
    void doesNotTakeASimilarlyNamedCache() {
        String text = HEADER + "dentry_cache_x 1 1 192 21 1 : tunables 0 0 0 : slabdata 1 1 0\n";
        assertThatThrownBy(() -> DentrySlab.parse(text)).hasMessage("/proc/slabinfo: no dentry line");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|file is empty",
        "slabinfo - version: 1.1\\ndentry 1 1 192 21 1 : tunables 0 0 0 : slabdata 1 1 0|unknown header",
        "slabinfo - version: 2.1\\ndentry 6447 6447 192|incomplete",
        "slabinfo - version: 2.1\\ndentry 6447 6447 192 21 1 : tunables 0 0|incomplete",
        "slabinfo - version: 2.1\\ndentry 6447 64x7 192 21 1 : tunables 0 0 0 : slabdata 1 1 0|not a number",
        "slabinfo - version: 2.1\\ndentry 6448 6447 192 21 1 : tunables 0 0 0 : slabdata 1 1 0|exceeds",
        "slabinfo - version: 2.1\\ndentry 6447 6447 0 21 1 : tunables 0 0 0 : slabdata 1 1 0|objsize is 0",
    })
    void refusesTruncatedOrGarbledInput(String text, String problem) {
        assertThatThrownBy(() -> DentrySlab.parse(text.replace("\\n", "\n")))
                .isInstanceOf(ProcFormatException.class)
                .hasMessageStartingWith("/proc/slabinfo: ")
                .hasMessageContaining(problem);
    }

    private static final String DENTRY_LINE =
            "dentry            6447   6447    192   21    1 : tunables    0    0    0 : slabdata    307    307      0";

    /** Every cut from nothing up to the end of the word "slabdata". */
    static IntStream cutsBeforeTheSlabdataCounts() {
        return IntStream.rangeClosed(0, DENTRY_LINE.indexOf("slabdata") + "slabdata".length());
    }

    @ParameterizedTest(name = "dentry line cut after {0} characters")
    @MethodSource("cutsBeforeTheSlabdataCounts")
    void aDentryLineCutAnywhereBeforeSlabdataIsAnError(int cut) {
        String truncated = HEADER + DENTRY_LINE.substring(0, cut);
        assertThatThrownBy(() -> DentrySlab.parse(truncated)).isInstanceOf(ProcFormatException.class);
    }
}
