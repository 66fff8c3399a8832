package io.dentryguard.operator.metrics;

import io.dentryguard.api.metrics.JvmAndProcessMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;

/**
 * The operator's Prometheus registry: JVM and process metrics, and java-operator-sdk's meters made
 * fit for Prometheus ({@code promtool check metrics} clean).
 *
 * <p>java-operator-sdk 5.2 (micrometer-support) registers its meters without a description, and
 * two gauges per controller with the controller's name inside the meter name
 * ({@code operator.sdk.reconciliations.executions.nodehealth}). {@link #JOSDK_METERS} renames those
 * two to a fixed name with the name in a {@code controller} tag, as JOSDK's own timers carry it,
 * and gives each of its meters a help text. The other names stay as JOSDK documents them.
 */
public final class OperatorRegistry {
    static final String JOSDK_PREFIX = "operator.sdk.";
    /** Meter names that JOSDK suffixes with the controller's name. */
    private static final List<String> PER_CONTROLLER = List.of(
            "operator.sdk.reconciliations.executions", "operator.sdk.reconciliations.queue.size");
    /** For a JOSDK meter this class has no text for (one that a later JOSDK adds). */
    static final String UNKNOWN_JOSDK_METER = "Recorded by java-operator-sdk, which gives it no description";
    private static final Map<String, String> JOSDK_HELP = Map.ofEntries(
            Map.entry("operator.sdk.reconciliations.executions", "Reconciliations running now, by controller"),
            Map.entry("operator.sdk.reconciliations.queue.size",
                    "Reconciliations submitted and not yet finished (waiting or running), by controller"),
            Map.entry("operator.sdk.reconciliations.started", "Reconciliations submitted, by resource type and retry attempt"),
            Map.entry("operator.sdk.reconciliations.success", "Reconciliations that ended without an exception, by resource type"),
            Map.entry("operator.sdk.reconciliations.failed", "Reconciliations that ended with an exception, by resource type and exception"),
            Map.entry("operator.sdk.events.received", "Events received for the primary resources, by resource type, event and action"),
            Map.entry("operator.sdk.events.delete", "Cleanups done after a primary resource was deleted, by resource type"),
            Map.entry("operator.sdk.controllers.execution.reconcile", "Time spent in the reconciler's reconcile, by controller"),
            Map.entry("operator.sdk.controllers.execution.reconcile.success",
                    "Calls of reconcile that returned, by controller and update type (JOSDK counts no update as resource)"),
            Map.entry("operator.sdk.controllers.execution.reconcile.failure", "Calls of reconcile that threw, by controller and exception"),
            Map.entry("operator.sdk.controllers.execution.cleanup", "Time spent in the reconciler's cleanup, by controller"),
            Map.entry("operator.sdk.controllers.execution.cleanup.success", "Calls of cleanup that returned, by controller and outcome"),
            Map.entry("operator.sdk.controllers.execution.cleanup.failure", "Calls of cleanup that threw, by controller and exception"));

    /** Renames JOSDK's per-controller meters and gives JOSDK's meters their help text. */
    static final MeterFilter JOSDK_METERS = new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
            if (!id.getName().startsWith(JOSDK_PREFIX)) {
                return id;
            }
            Meter.Id named = id;
            for (String fixed : PER_CONTROLLER) {
                if (id.getName().startsWith(fixed + ".")) {
                    named = id.withName(fixed).withTag(Tag.of("controller", id.getName().substring(fixed.length() + 1)));
                }
            }
            if (named.getDescription() != null && !named.getDescription().isBlank()) {
                return named;
            }
            return new Meter.Id(named.getName(), Tags.of(named.getTagsAsIterable()), named.getBaseUnit(),
                    JOSDK_HELP.getOrDefault(named.getName(), UNKNOWN_JOSDK_METER), named.getType());
        }
    };

    private OperatorRegistry() {}

    /** A new registry for /metrics; JOSDK's meters registered on it later are renamed and described. */
    public static PrometheusMeterRegistry create() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(JOSDK_METERS);
        new JvmAndProcessMetrics().bindTo(registry);
        return registry;
    }
}
