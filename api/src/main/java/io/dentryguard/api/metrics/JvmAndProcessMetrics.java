package io.dentryguard.api.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.List;

/**
 * The JVM and process metrics every Java service exports, for the operator: {@link ProcessMetrics}
 * and micrometer's binders for GC, threads, class loading, the JVM's version and CPU usage and
 * load.
 *
 * <p>Micrometer's own names for what {@link ProcessMetrics} exports are left out:
 * {@code process_cpu_time_ns_total} (an abbreviated unit, which {@code promtool check metrics}
 * objects to) and the gauge {@code system_cpu_count} (a {@code _count} suffix, which Prometheus
 * reserves for histograms and summaries).
 *
 * <p>Bind it before any other meter, as it adds a filter to the registry; and only to a registry
 * that lives as long as the process: the GC binder's listeners are not removed.
 */
public final class JvmAndProcessMetrics implements MeterBinder {
    static final MeterFilter PROMTOOL_CLEAN_NAMES = MeterFilter.deny(
            id -> id.getName().equals("process.cpu.time") || id.getName().equals("system.cpu.count"));

    @Override
    @SuppressWarnings("resource") // JvmGcMetrics: its listeners are meant to stay for the life of the process
    public void bindTo(MeterRegistry registry) {
        registry.config().meterFilter(PROMTOOL_CLEAN_NAMES);
        new ProcessMetrics().bindTo(registry);
        List.of(new JvmGcMetrics(), new JvmThreadMetrics(), new ClassLoaderMetrics(), new JvmInfoMetrics(), new ProcessorMetrics())
                .forEach(b -> b.bindTo(registry));
    }
}
