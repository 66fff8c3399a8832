package io.dentryguard.api.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The JVM and process metrics every Java service exports (micrometer's binders), the same for the
 * probe and the operator: memory pools and buffers, GC, threads, class loading, JVM version, CPU
 * usage, load and processors, CPU time, uptime and start time, open and maximum file descriptors.
 *
 * <p>Two of micrometer's names are ones {@code promtool check metrics} objects to, so they are
 * replaced: {@code process_cpu_time_ns_total} (an abbreviated unit; micrometer counts nanoseconds)
 * by {@code process_cpu_seconds_total}, the name Prometheus's own client libraries use, and the
 * gauge {@code system_cpu_count} (a {@code _count} suffix, which Prometheus reserves for
 * histograms and summaries) by {@code jvm_available_processors}.
 *
 * <p>Bind it before any other meter, as it adds a filter to the registry; and only to a registry
 * that lives as long as the process: the GC binder's listeners are not removed.
 */
public final class JvmAndProcessMetrics implements MeterBinder {
    static final MeterFilter PROMTOOL_CLEAN_NAMES = new MeterFilter() {
        @Override
        public MeterFilterReply accept(Meter.Id id) {
            return id.getName().equals("process.cpu.time") ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
        }

        @Override
        public Meter.Id map(Meter.Id id) {
            return id.getName().equals("system.cpu.count") ? id.withName("jvm.available.processors") : id;
        }
    };

    @Override
    @SuppressWarnings("resource") // JvmGcMetrics: its listeners are meant to stay for the life of the process
    public void bindTo(MeterRegistry registry) {
        registry.config().meterFilter(PROMTOOL_CLEAN_NAMES);
        List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ClassLoaderMetrics(), new JvmInfoMetrics(),
                new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics()).forEach(b -> b.bindTo(registry));
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, JvmAndProcessMetrics::cpuSeconds).baseUnit("seconds")
                    .description("CPU time used by the JVM process").register(registry);
        }
    }

    private static double cpuSeconds(com.sun.management.OperatingSystemMXBean os) {
        long nanos = os.getProcessCpuTime();
        return nanos < 0 ? Double.NaN : nanos / 1e9; // -1: not supported on this platform
    }
}
