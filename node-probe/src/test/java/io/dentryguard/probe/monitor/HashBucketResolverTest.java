package io.dentryguard.probe.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dentryguard.probe.testing.RealKernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resolver's order of trust, with a fake /proc and kernel logs served by real commands. */
class HashBucketResolverTest {
    @TempDir
    Path proc;
    private Path log;

    @BeforeEach
    void fakeProc() throws Exception {
        Files.writeString(proc.resolve("meminfo"), "MemTotal:       24683656 kB\nMemFree:  1 kB\nSReclaimable: 1 kB\n");
        Files.writeString(proc.resolve("cmdline"), "console=ttyS0 quiet\n");
        log = proc.resolve("kernel.log");
        Files.writeString(log, "[    0.089810] Dentry cache hash table entries: 2097152 (order: 12, 16777216 bytes, linear)\n");
    }

    private HashBucketResolver resolver(List<String> logCommand, OptionalLong configured) {
        return new HashBucketResolver(new ProcFiles(proc), new KernelLog(logCommand, 5000), configured);
    }

    @Test
    void prefersTheKernelLog() throws Exception {
        HashBuckets b = resolver(List.of("cat", log.toString()), OptionalLong.of(7)).resolve();
        assertThat(b.buckets()).isEqualTo(2097152);
        assertThat(b.source()).isEqualTo(HashBuckets.Source.KERNEL_LOG);
    }

    @Test
    void fallsBackToTheSizingRuleAndSaysWhy() throws Exception {
        HashBuckets b = resolver(List.of("sh", "-c", "echo 'dmesg: read kernel buffer failed: Operation not permitted'; exit 1"),
                OptionalLong.empty()).resolve();
        assertThat(b.buckets()).isEqualTo(4194304);
        assertThat(b.source()).isEqualTo(HashBuckets.Source.SIZING_RULE);
        assertThat(b.detail()).contains("MemTotal 25276063744 bytes", "no dhash_entries=", "Operation not permitted");
    }

    @Test
    void theSizingRuleHonoursDhashEntries() throws Exception {
        Files.writeString(proc.resolve("cmdline"), "console=ttyS0 dhash_entries=1000000\n");
        HashBuckets b = resolver(List.of("true"), OptionalLong.empty()).resolve();
        assertThat(b.buckets()).isEqualTo(1048576);
        assertThat(b.detail()).contains("dhash_entries=1000000", "no 'Dentry cache hash table entries' line");
    }

    @Test
    void usesTheConfigurationOnlyWhenNothingElseAnswers() throws Exception {
        Files.delete(proc.resolve("meminfo"));
        HashBuckets b = resolver(List.of("/nonexistent/dmesg"), OptionalLong.of(1 << 20)).resolve();
        assertThat(b.buckets()).isEqualTo(1 << 20);
        assertThat(b.source()).isEqualTo(HashBuckets.Source.CONFIGURATION);
        assertThat(b.detail()).contains("cannot run /nonexistent/dmesg", "/proc/meminfo: does not exist");
    }

    @Test
    void withNoSourceAtAllItSaysSo() throws Exception {
        Files.delete(proc.resolve("meminfo"));
        assertThatThrownBy(() -> resolver(List.of("true"), OptionalLong.empty()).resolve())
                .isInstanceOf(ProcFiles.UnreadableException.class)
                .hasMessageStartingWith("dentry hash table size unknown: ")
                .hasMessageEndingWith("set --hash-buckets");
    }

    // This host's sources, each on its own: a host booted with dhash_entries=, or whose boot line has
    // rotated out, has them differ. That the rule gives this machine's boot-line figure from its
    // MemTotal is HashTableSizingTest's, from the captured figures.

    private static HashBucketResolver onThisHost(KernelLog kernelLog) {
        return new HashBucketResolver(RealKernel.PROC, kernelLog, OptionalLong.empty());
    }

    @Test
    void onThisHostTheKernelLogGivesWhatDmesgShows() throws Exception {
        RealKernel.assumeLinux();
        OptionalLong shown = RealKernel.dentryHashEntriesInDmesg();
        assumeTrue(shown.isPresent(), "dmesg shows no 'Dentry cache hash table entries' line here (restricted, or rotated out)");
        HashBuckets b = onThisHost(KernelLog.dmesg()).resolve();
        System.out.println("this machine: " + b);
        assertThat(b.source()).isEqualTo(HashBuckets.Source.KERNEL_LOG);
        assertThat(b.buckets()).isEqualTo(shown.getAsLong());
    }

    @Test
    void onThisHostTheSizingRuleReadsItsMemoryAndCommandLine() throws Exception {
        RealKernel.assumeLinux();
        HashBuckets b = onThisHost(new KernelLog(List.of("true"), 5000)).resolve();
        assertThat(b.source()).isEqualTo(HashBuckets.Source.SIZING_RULE);
        assertThat(b.buckets()).isEqualTo(RealKernel.sizingRule());
        assertThat(b.detail()).contains("MemTotal " + RealKernel.memTotalBytes() + " bytes");
    }
}
