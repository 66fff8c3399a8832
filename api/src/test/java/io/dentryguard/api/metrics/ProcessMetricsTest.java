package io.dentryguard.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessMetricsTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheResidentSetAsTheKernelWritesIt() throws IOException {
        Path status = tmp.resolve("status");
        Files.writeString(status, "Name:\tjava\nVmPeak:\t 3012344 kB\nVmHWM:\t   97000 kB\nVmRSS:\t   95612 kB\nRssAnon:\t   60000 kB\n");
        assertThat(ProcessMetrics.residentBytes(status)).hasValue(95_612L * 1024);
    }

    @Test
    void noResidentSetRatherThanAWrongOne() throws IOException {
        Path status = tmp.resolve("status");
        Files.writeString(status, "Name:\tjava\nVmRSS:\t 95612 pages\n");
        assertThat(ProcessMetrics.residentBytes(status)).isEmpty();
        Files.writeString(status, "Name:\tjava\nVmRSS:\t lots kB\n");
        assertThat(ProcessMetrics.residentBytes(status)).isEmpty();
        Files.writeString(status, "Name:\tkthreadd\n"); // kernel threads have no VmRSS line
        assertThat(ProcessMetrics.residentBytes(status)).isEmpty();
        assertThat(ProcessMetrics.residentBytes(tmp.resolve("absent"))).isEmpty();
    }

    @Test
    void exportsTheProcessFiguresOfThisJvm() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux's /proc/self/status");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ProcessMetrics().bindTo(registry);
        double exported = registry.get("process.resident.memory").gauge().value();
        OptionalLong rss = ProcessMetrics.residentBytes(Path.of("/proc/self/status"));
        assertThat(rss).isPresent();
        assertThat(exported).as("the resident set read a moment apart").isCloseTo(rss.getAsLong(), org.assertj.core.data.Percentage.withPercentage(10));
        assertThat(registry.get("process.cpu").functionCounter().count()).isPositive();
        assertThat(registry.get("process.files.open").gauge().value()).isPositive();
        assertThat(registry.get("process.start.time").gauge().value()).isGreaterThan(1.7e9);
        assertThat(registry.get("jvm.memory.used").tag("area", "heap").gauges()).isNotEmpty();
        assertThat(registry.find("jvm.threads.states").gauges()).as("the probe's light set has no thread-state gauges").isEmpty();
    }

    @Test
    void theOperatorsSetAddsTheJvmBindersWithoutMicrometersDuplicateNames() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new JvmAndProcessMetrics().bindTo(registry);
        assertThat(registry.find("jvm.threads.live").gauge()).isNotNull();
        assertThat(registry.find("jvm.classes.loaded").gauge()).isNotNull();
        assertThat(registry.find("process.cpu.usage").gauge()).isNotNull();
        assertThat(registry.find("jvm.available.processors").gauges()).hasSize(1);
        assertThat(registry.find("system.cpu.count").gauges()).isEmpty();
        assertThat(registry.find("process.cpu.time").meters()).isEmpty();
    }
}
