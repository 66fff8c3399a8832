package io.dentryguard.probe.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DentryStateTest {

    @ParameterizedTest
    @CsvSource({
        "linux-2.6.32, 103165811, 102918364,",
        "linux-3.10,   412931,    376201,",
        "linux-4.19,   2047815,   1933021,",
        "linux-5.4,    20971520,  20904448, 20133744",
    })
    void parsesEveryKernelGeneration(String kernel, long total, long unused, Long negative) throws Exception {
        DentryState d = DentryState.parse(KernelSamples.read(kernel, "dentry-state"), KernelSamples.release(kernel));
        assertThat(d.total()).isEqualTo(total);
        assertThat(d.unused()).isEqualTo(unused);
        assertThat(d.ageLimitSeconds()).isEqualTo(45);
        assertThat(d.negative()).isEqualTo(negative);
    }

    @Test
    void parsesTheCapturedSixKernel() throws Exception {
        String text = KernelSamples.read("linux-6.18", "dentry-state");
        DentryState d = DentryState.parse(text, KernelSamples.release("linux-6.18"));
        String[] f = text.strip().split("\t");
        assertThat(d.total()).isEqualTo(Long.parseLong(f[0]));
        assertThat(d.negative()).isEqualTo(Long.parseLong(f[4]));
    }

    @Test
    void negativeIsUnknownNotZeroBeforeFiveZero() throws Exception {
        DentryState d = DentryState.parse("1000\t900\t45\t0\t0\t0\n", KernelRelease.parse("4.20.17"));
        assertThat(d.negative()).isNull();
        DentryState five = DentryState.parse("1000\t900\t45\t0\t0\t0\n", KernelRelease.parse("5.0.0"));
        assertThat(five.negative()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "\n",
        "1000\t900\t45\t0\t7",
        "1000\t900\t45\t0\t7\t0\t0",
        "1000\t900\t45\t0\tabc\t0",
        "1000\t-900\t45\t0\t7\t0",
        "99999999999999999999\t900\t45\t0\t7\t0",
        "1000\t900\n45\t0\t7\t0",
        "1000 900 45 0 1001 0",
    })
    void refusesTruncatedGarbledOrImpossibleInput(String text) throws Exception {
        KernelRelease six = KernelRelease.parse("6.1.0");
        assertThatThrownBy(() -> DentryState.parse(text, six))
                .isInstanceOf(ProcFormatException.class)
                .hasMessageStartingWith("/proc/sys/fs/dentry-state: ");
    }

    @Property
    void readsBackWhatTheKernelWrites(@ForAll @LongRange(max = 1L << 40) long total, @ForAll @LongRange(max = 1L << 40) long unused,
                                      @ForAll @LongRange(max = 1L << 40) long negative) throws Exception {
        long neg = Math.min(negative, total);
        String text = total + "\t" + unused + "\t45\t0\t" + neg + "\t0\n";
        DentryState d = DentryState.parse(text, KernelRelease.parse("6.18.0"));
        assertThat(d.total()).isEqualTo(total);
        assertThat(d.unused()).isEqualTo(unused);
        assertThat(d.negative()).isEqualTo(neg);
    }

    @Property
    void aTruncatedFileIsAnErrorNeverANumber(@ForAll @LongRange(min = 10, max = 1L << 40) long total, @ForAll @IntRange(max = 200) int cut) {
        String text = total + "\t" + (total / 2) + "\t45\t0\t" + (total / 3) + "\t0\n";
        String truncated = text.substring(0, Math.min(cut, text.length() - 3));
        assertThatThrownBy(() -> DentryState.parse(truncated, KernelRelease.parse("6.18.0")))
                .isInstanceOf(ProcFormatException.class);
    }

    @Property
    void garbageIsRejectedCleanly(@ForAll String garbage) {
        try {
            DentryState.parse(garbage, KernelRelease.parse("6.18.0"));
        } catch (ProcFormatException expected) {
            assertThat(expected.getMessage()).startsWith(DentryState.SOURCE);
        }
    }
}
