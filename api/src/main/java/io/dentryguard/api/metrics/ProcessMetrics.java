package io.dentryguard.api.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The few process metrics a DaemonSet's owner sizes and watches it by, under the names
 * Prometheus's own client libraries use: CPU seconds, resident set, start time and uptime, open and
 * maximum file descriptors; plus the JVM's memory pools ({@code jvm_memory_used_bytes} and the
 * like), which tell whether the heap or the rest grows.
 *
 * <p>The probe binds only these: micrometer's other JVM binders (GC notifications, thread states,
 * class loading, CPU load) cost it 3.3 MiB of class metadata and 1.5 ms of CPU per scrape
 * (bench/README.md), a fifth of what it spends measuring the node. The operator binds them all
 * ({@link JvmAndProcessMetrics}).
 */
public final class ProcessMetrics implements MeterBinder {
    private static final Path STATUS = Path.of("/proc/self/status");

    @Override
    public void bindTo(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean cpu) {
            FunctionCounter.builder("process.cpu", cpu, ProcessMetrics::cpuSeconds).baseUnit("seconds")
                    .description("CPU time used by the JVM process").register(registry);
        }
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            Gauge.builder("process.files.open", unix, u -> u.getOpenFileDescriptorCount()).baseUnit("files")
                    .description("Open file descriptors").register(registry);
            Gauge.builder("process.files.max", unix, u -> u.getMaxFileDescriptorCount()).baseUnit("files")
                    .description("Maximum number of open file descriptors").register(registry);
        }
        if (residentBytes(STATUS).isPresent()) { // Linux
            Gauge.builder("process.resident.memory", STATUS, ProcessMetrics::residentOrNaN).baseUnit("bytes")
                    .description("Resident set size of the process (VmRSS)").strongReference(true).register(registry);
        }
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        Gauge.builder("process.start.time", runtime, r -> r.getStartTime() / 1e3).baseUnit("seconds")
                .description("Start time of the process since the Unix epoch").register(registry);
        Gauge.builder("process.uptime", runtime, r -> r.getUptime() / 1e3).baseUnit("seconds")
                .description("Time since the JVM started").register(registry);
        Gauge.builder("jvm.available.processors", Runtime.getRuntime(), Runtime::availableProcessors)
                .description("Processors available to the JVM").register(registry);
    }

    private static double cpuSeconds(com.sun.management.OperatingSystemMXBean os) {
        long nanos = os.getProcessCpuTime();
        return nanos < 0 ? Double.NaN : nanos / 1e9; // -1: not supported on this platform
    }

    private static double residentOrNaN(Path status) {
        OptionalLong bytes = residentBytes(status);
        return bytes.isPresent() ? bytes.getAsLong() : Double.NaN;
    }

    /** VmRSS of a {@code /proc/PID/status} file, in bytes; empty where there is none (not Linux). */
    static OptionalLong residentBytes(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                    return parts.length == 2 && parts[1].equals("kB") ? OptionalLong.of(Long.parseLong(parts[0]) * 1024)
                            : OptionalLong.empty();
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux, or a kernel that writes it otherwise: no resident-set gauge rather than a wrong one.
        }
        return OptionalLong.empty();
    }
}
