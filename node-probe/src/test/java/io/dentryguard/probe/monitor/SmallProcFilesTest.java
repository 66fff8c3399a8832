package io.dentryguard.probe.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** /proc/meminfo, /proc/sys/fs/inode-nr and /proc/sys/kernel/osrelease. */
class SmallProcFilesTest {

    @ParameterizedTest
    @CsvSource({
        "linux-2.6.32, 32878232, 512340,,          21120328",
        "linux-3.10,   7990000,  912344,  6623412, 511200",
        "linux-4.19,   16393432, 9112004, 14711020, 2021372",
        "linux-5.4,    24614704, 11433100, 23820032, 4102220",
    })
    void meminfoOfEveryGeneration(String kernel, long total, long free, Long available, long reclaimable) throws Exception {
        MemInfo m = MemInfo.parse(KernelSamples.read(kernel, "meminfo"));
        assertThat(m.totalBytes()).isEqualTo(total * 1024);
        assertThat(m.freeBytes()).isEqualTo(free * 1024);
        assertThat(m.availableBytes()).isEqualTo(available == null ? null : available * 1024);
        assertThat(m.slabReclaimableBytes()).isEqualTo(reclaimable * 1024);
    }

    @Test
    void meminfoOfTheCapturedSixKernel() throws Exception {
        MemInfo m = MemInfo.parse(KernelSamples.read("linux-6.18", "meminfo"));
        assertThat(m.totalBytes()).isGreaterThan(1L << 30);
        assertThat(m.availableBytes()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MemTotal: 100 kB\nMemFree: 50 kB\n", "MemTotal: 100 kB\nMemFree: 5x kB\nSReclaimable: 1 kB"})
    void meminfoRefusesMissingOrGarbledFields(String text) {
        assertThatThrownBy(() -> MemInfo.parse(text)).isInstanceOf(ProcFormatException.class)
                .hasMessageStartingWith("/proc/meminfo: ");
    }

    @Test
    void meminfoTruncatedInsideAFieldItNeedsIsAnError() {
        String text = "MemTotal:       24683656 kB\nMemFree:        2460";
        assertThatThrownBy(() -> MemInfo.parse(text)).hasMessageContaining("MemFree is missing");
    }

    @ParameterizedTest
    @CsvSource({"linux-2.6.32, 71245, 1032", "linux-3.10, 230117, 18721", "linux-5.4, 120034, 4082"})
    void inodeCounts(String kernel, long allocated, long free) throws Exception {
        InodeCounts i = InodeCounts.parse(KernelSamples.read(kernel, "inode-nr"));
        assertThat(i).isEqualTo(new InodeCounts(allocated, free));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5438", "5438 0 1", "54x8 0"})
    void inodeCountsRefuseBadInput(String text) {
        assertThatThrownBy(() -> InodeCounts.parse(text)).isInstanceOf(ProcFormatException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "2.6.32-754.35.1.el6.x86_64, 2, 6",
        "3.10.0-1160.119.1.el7.x86_64, 3, 10",
        "5.4.0-216-generic, 5, 4",
        "6.18.44-fc-v782, 6, 18",
    })
    void kernelRelease(String text, int major, int minor) throws Exception {
        KernelRelease k = KernelRelease.parse(text + "\n");
        assertThat(k.release()).isEqualTo(text);
        assertThat(k.major()).isEqualTo(major);
        assertThat(k.minor()).isEqualTo(minor);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "linux", "x.y.z"})
    void kernelReleaseRefusesGarbage(String text) {
        assertThatThrownBy(() -> KernelRelease.parse(text)).isInstanceOf(ProcFormatException.class);
    }
}
