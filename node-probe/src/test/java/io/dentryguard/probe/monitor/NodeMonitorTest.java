package io.dentryguard.probe.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the monitors read once, at start, from a fake /proc. */
class NodeMonitorTest {
    @TempDir
    Path proc;

    @BeforeEach
    void fakeProc() throws Exception {
        Files.createDirectories(proc.resolve("sys/fs"));
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.writeString(proc.resolve("sys/kernel/osrelease"), "6.18.44-fc-v782\n");
        Files.writeString(proc.resolve("sys/kernel/hostname"), "worker-7\n");
        Files.writeString(proc.resolve("sys/fs/dentry-state"), "100000 50000 45 0 20000 0\n");
        Files.writeString(proc.resolve("meminfo"), "MemTotal:       24683656 kB\nMemFree:  1 kB\nSReclaimable: 1 kB\n");
        Files.writeString(proc.resolve("cmdline"), "console=ttyS0 quiet\n");
    }

    private MonitorSettings settings(Optional<String> node) {
        return new MonitorSettings(proc, node, OptionalLong.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    void readsTheKernelReleaseTheHashTableAndTheHostNameOnce() throws Exception {
        try (NodeMonitor monitor = NodeMonitor.start(settings(Optional.empty()), Clock.systemUTC())) {
            assertThat(monitor.kernel().release()).isEqualTo("6.18.44-fc-v782");
            assertThat(monitor.node()).isEqualTo("worker-7");
            NodeObservation o = monitor.sample();
            assertThat(o.hashBuckets().present()).as("from the kernel log or, failing it, the sizing rule").isTrue();
            assertThat(o.dentries().value().negative()).isEqualTo(20_000L);
            assertThat(o.canary().problem()).isEqualTo("canary disabled");
        }
    }

    @Test
    void aGivenNodeNameWinsOverTheHostName() throws Exception {
        try (NodeMonitor monitor = NodeMonitor.start(settings(Optional.of("node-a")), Clock.systemUTC())) {
            assertThat(monitor.node()).isEqualTo("node-a");
        }
    }

    @Test
    void refusesToStartWhenItCouldNeverMeasure() throws Exception {
        Files.delete(proc.resolve("sys/fs/dentry-state"));
        assertThatThrownBy(() -> NodeMonitor.start(settings(Optional.empty()), Clock.systemUTC()))
                .isInstanceOf(ProcFiles.UnreadableException.class).hasMessageStartingWith("/proc/sys/fs/dentry-state: does not exist");
    }
}
