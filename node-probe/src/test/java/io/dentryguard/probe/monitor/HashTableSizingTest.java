package io.dentryguard.probe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.probe.testing.FixedSeed;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class HashTableSizingTest {
    private static final long KIB = 1024;

    @Test
    void readsTheBootLine() {
        String log = "[    0.089810] Dentry cache hash table entries: 4194304 (order: 13, 33554432 bytes, linear)\n"
                + "[    0.090129] Inode-cache hash table entries: 2097152 (order: 12, 16777216 bytes, linear)\n";
        assertThat(HashTableSizing.fromKernelLog(log)).hasValue(4194304);
    }

    @Test
    void readsTheOldKernelsBootLine() {
        // 2.6.32 and 3.10 print the same words without the "linear" note.
        String log = "Dentry cache hash table entries: 4194304 (order: 13, 33554432 bytes)\n";
        assertThat(HashTableSizing.fromKernelLog(log)).hasValue(4194304);
    }

    @Test
    void noLineNoAnswer() {
        assertThat(HashTableSizing.fromKernelLog("[ 0.0] Linux version 6.1\n")).isEmpty();
        assertThat(HashTableSizing.fromKernelLog("")).isEmpty();
        assertThat(HashTableSizing.fromKernelLog(null)).isEmpty();
    }

    @ParameterizedTest(name = "MemTotal {0} kB -> {1} buckets")
    @CsvSource({
        "24683656, 4194304",   // this machine (24 GiB), kernel log says 4194304
        "32878232, 4194304",   // the published 32 GB RHEL 6 case
        "16393432, 2097152",   // 16 GiB: 4.10M pages, half is 2.05M, rounded up to 2^21
        "7990000,  1048576",
        "65844216, 8388608",
        "1016000,  131072",
    })
    void sizingRuleFromMemory(long memTotalKib, long buckets) {
        assertThat(HashTableSizing.fromMemory(memTotalKib * KIB, OptionalLong.empty())).isEqualTo(buckets);
    }

    @Test
    void dhashEntriesOverridesMemoryAndIsRoundedUp() {
        assertThat(HashTableSizing.fromMemory(24683656 * KIB, OptionalLong.of(100_000))).isEqualTo(131072);
        assertThat(HashTableSizing.fromMemory(24683656 * KIB, OptionalLong.of(1L << 24))).isEqualTo(1L << 24);
    }

    @Test
    void dhashEntriesIsCappedAtOneSixteenthOfMemory() {
        // 1 GiB / 16 / 8 bytes per bucket = 8M buckets at most
        assertThat(HashTableSizing.fromMemory(1L << 30, OptionalLong.of(1L << 30))).isEqualTo(1L << 23);
    }

    @ParameterizedTest
    @CsvSource({
        "'console=ttyS0 dhash_entries=1048576 quiet', 1048576",
        "'dhash_entries=0x100000', 1048576",
        "'dhash_entries=04000000', 1048576",
        "'quiet dhash_entries=65536 dhash_entries=262144', 262144",
    })
    void dhashEntriesFromTheCommandLine(String cmdline, long expected) {
        assertThat(HashTableSizing.dhashEntries(cmdline)).hasValue(expected);
    }

    @ParameterizedTest
    @CsvSource({"'console=ttyS0 quiet'", "'dhash_entries=lots'", "'dhash_entries=0'", "'quiet -- dhash_entries=65536'",
        "'xdhash_entries=65536'"})
    void noUsableDhashEntries(String cmdline) {
        assertThat(HashTableSizing.dhashEntries(cmdline)).isEmpty();
    }

    private static final long MIN_MEMORY = 64L << 20;
    private static final long MAX_MEMORY = 4L << 40;

    /** Every power of two from 64 MiB to 4 TiB and its neighbours, then random sizes of every magnitude. */
    static LongStream memorySizes() {
        LongStream edges = IntStream.rangeClosed(26, 42)
                .mapToObj(bits -> LongStream.of((1L << bits) - 1, 1L << bits, (1L << bits) + 1))
                .flatMapToLong(s -> s)
                .filter(m -> m >= MIN_MEMORY && m <= MAX_MEMORY);
        Random random = new Random(0x5A12);
        LongStream others = LongStream.generate(() -> FixedSeed.acrossMagnitudes(random, MIN_MEMORY, MAX_MEMORY)).limit(100);
        return LongStream.concat(edges, others);
    }

    @ParameterizedTest(name = "MemTotal {0} bytes")
    @MethodSource("memorySizes")
    void alwaysAPowerOfTwoWithinOneSixteenthOfMemory(long memTotal) {
        long n = HashTableSizing.fromMemory(memTotal, OptionalLong.empty());
        assertThat(Long.bitCount(n)).isEqualTo(1);
        assertThat(n * 8).isLessThanOrEqualTo(memTotal / 16);
        assertThat(n).isGreaterThanOrEqualTo(memTotal / 8192);
    }
}
