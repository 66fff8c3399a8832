package io.dentryguard.probe.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.dentryguard.probe.testing.FixedSeed;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DentryStateTest {
    private static final long MAX_COUNT = 1L << 40;
    private static final String[] BLANKS = {"\t", " ", "   ", "\t \t", "\u2003"};
    private static final String[] NOT_QUITE_BLANKS = {"\t", "\n", "\u00a0", "", ","};

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

    /** A dentry-state line as Linux 6.x writes it. */
    private static String kernelLine(long total, long unused, long negative) {
        return total + "\t" + unused + "\t45\t0\t" + negative + "\t0\n";
    }

    static Stream<Arguments> countsTheKernelMayWrite() {
        Random random = new Random(0xDE27);
        List<Arguments> cases = new ArrayList<>(List.of(
                arguments(0L, 0L, 0L), arguments(MAX_COUNT, MAX_COUNT, MAX_COUNT), arguments(0L, MAX_COUNT, MAX_COUNT),
                arguments(MAX_COUNT, 0L, 0L)));
        while (cases.size() < 150) {
            cases.add(arguments(FixedSeed.acrossMagnitudes(random, 0, MAX_COUNT),
                    FixedSeed.acrossMagnitudes(random, 0, MAX_COUNT), FixedSeed.acrossMagnitudes(random, 0, MAX_COUNT)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "nr_dentry {0}, nr_unused {1}, nr_negative min({2}, nr_dentry)")
    @MethodSource("countsTheKernelMayWrite")
    void readsBackWhatTheKernelWrites(long total, long unused, long negative) throws Exception {
        long neg = Math.min(negative, total);
        DentryState d = DentryState.parse(kernelLine(total, unused, neg), KernelRelease.parse("6.18.0"));
        assertThat(d.total()).isEqualTo(total);
        assertThat(d.unused()).isEqualTo(unused);
        assertThat(d.negative()).isEqualTo(neg);
    }

    /** Every cut of a few lines, from nothing up to the last field: the line then has five fields or fewer. */
    static Stream<Arguments> truncatedLines() {
        Random random = new Random(0x7C07);
        LongStream totals = LongStream.concat(LongStream.of(10, MAX_COUNT),
                LongStream.generate(() -> FixedSeed.acrossMagnitudes(random, 10, MAX_COUNT)).limit(4));
        return totals.boxed().flatMap(total -> IntStream.rangeClosed(0, kernelLine(total, total / 2, total / 3).length() - 3)
                .mapToObj(cut -> arguments(total, cut)));
    }

    @ParameterizedTest(name = "nr_dentry {0}, cut after {1} characters")
    @MethodSource("truncatedLines")
    void aTruncatedFileIsAnErrorNeverANumber(long total, int cut) {
        String truncated = kernelLine(total, total / 2, total / 3).substring(0, cut);
        assertThatThrownBy(() -> DentryState.parse(truncated, KernelRelease.parse("6.18.0")))
                .isInstanceOf(ProcFormatException.class);
    }

    /**
     * Six fields, half of the time well formed but for their values (which may overflow, or put
     * nr_negative above nr_dentry); otherwise with the odd misfit token or separator.
     */
    private static String nearlyALine(Random random) {
        boolean wellFormed = random.nextBoolean();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            boolean misfit = !wellFormed && random.nextInt(4) == 0;
            line.append(misfit ? FixedSeed.string(random, 3)
                    : random.nextInt(20) == 0 ? "9" + Long.MAX_VALUE
                    : Long.toString(FixedSeed.acrossMagnitudes(random, 0, Long.MAX_VALUE)));
            String[] separators = wellFormed ? BLANKS : NOT_QUITE_BLANKS;
            line.append(i == 5 ? "\n" : separators[random.nextInt(separators.length)]);
        }
        return line.toString();
    }

    static Stream<Named<String>> garbage() {
        Random random = new Random(0x6A2B);
        List<String> cases = new ArrayList<>(FixedSeed.AWKWARD_STRINGS);
        while (cases.size() < 110) {
            cases.add(nearlyALine(random));
        }
        while (cases.size() < 160) {
            cases.add(FixedSeed.string(random, 40));
        }
        return cases.stream().map(s -> Named.of(FixedSeed.visible(s), s));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void garbageIsRejectedCleanly(String garbage) throws Exception {
        DentryState d;
        try {
            d = DentryState.parse(garbage, KernelRelease.parse("6.18.0"));
        } catch (ProcFormatException expected) {
            assertThat(expected.getMessage()).startsWith(DentryState.SOURCE + ": ");
            return;
        }
        // Any other exception fails the test; what does parse must be a state the kernel could report.
        assertThat(d.total()).isNotNegative();
        assertThat(d.unused()).isNotNegative();
        assertThat(d.ageLimitSeconds()).isNotNegative();
        assertThat(d.wantPages()).isNotNegative();
        assertThat(d.negative()).isNotNull().isBetween(0L, d.total());
    }

    @Test
    void theGarbageReachesBothOutcomes() throws Exception {
        KernelRelease six = KernelRelease.parse("6.18.0");
        int parsed = 0;
        for (String text : garbage().map(Named::getPayload).toList()) {
            try {
                DentryState.parse(text, six);
                parsed++;
            } catch (ProcFormatException rejected) {
                // counted below
            }
        }
        assertThat(parsed).as("generated inputs that parse, of 160").isBetween(10, 150);
    }
}
