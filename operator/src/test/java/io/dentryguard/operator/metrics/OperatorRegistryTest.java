package io.dentryguard.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dentryguard.api.testing.Promtool;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceAction;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * JOSDK's meters on the operator's registry, including those that only a failure, a retry or a
 * deletion registers (which the packaged-operator test does not provoke).
 */
class OperatorRegistryTest {
    private static final Map<String, Object> METADATA = Map.of(Constants.RESOURCE_GVK_KEY, GroupVersionKind.gvkFor(NodeHealth.class),
            Constants.CONTROLLER_NAME, "nodehealth");

    private static NodeHealth nodeHealth() {
        NodeHealth nh = new NodeHealth();
        nh.getMetadata().setName("node-a");
        return nh;
    }

    private static <T> Metrics.ControllerExecution<T> execution(String name, T result, Exception failure) {
        return new Metrics.ControllerExecution<>() {
            public String name() {
                return name;
            }

            public String controllerName() {
                return "nodehealth";
            }

            public String successTypeName(T r) {
                return "resource";
            }

            public ResourceID resourceID() {
                return new ResourceID("node-a");
            }

            public Map<String, Object> metadata() {
                return METADATA;
            }

            public T execute() throws Exception {
                if (failure != null) {
                    throw failure;
                }
                return result;
            }
        };
    }

    /** Every meter that JOSDK 5.2's MicrometerMetrics registers, through its own code where it can be called alone. */
    private static PrometheusMeterRegistry withEveryJosdkMeter() throws Exception {
        PrometheusMeterRegistry registry = OperatorRegistry.create();
        MicrometerMetrics josdk = MicrometerMetrics.withoutPerResourceMetrics(registry);
        ResourceID id = new ResourceID("node-a");
        josdk.receivedEvent(new ResourceEvent(ResourceAction.ADDED, id, nodeHealth()), METADATA);
        josdk.receivedEvent(new Event(id), METADATA);
        josdk.finishedReconciliation(nodeHealth(), METADATA);
        josdk.failedReconciliation(nodeHealth(), new IllegalStateException("boom"), METADATA);
        josdk.cleanupDoneFor(id, METADATA);
        for (String name : new String[] {"reconcile", "cleanup"}) {
            josdk.timeControllerExecution(execution(name, "done", null));
            assertThatThrownBy(() -> josdk.timeControllerExecution(execution(name, "done", new IllegalStateException("boom"))));
        }
        // controllerRegistered and reconcileCustomResource need a running Controller (OperatorProcessIT has them):
        // these are the gauges they register, under the names JOSDK 5.2.3 gives them.
        Tags gvk = Tags.of("group", "dentryguard.io", "version", "v1alpha1", "kind", "NodeHealth");
        registry.gauge("operator.sdk.reconciliations.executions.nodehealth", gvk, new AtomicInteger(1));
        registry.gauge("operator.sdk.reconciliations.queue.size.nodehealth", gvk, new AtomicInteger(2));
        return registry;
    }

    @Test
    void theControllerNameMovesFromTheMeterNameToATag() throws Exception {
        PrometheusMeterRegistry registry = withEveryJosdkMeter();
        assertThat(registry.get("operator.sdk.reconciliations.executions").tag("controller", "nodehealth").tag("kind", "NodeHealth")
                .gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("operator.sdk.reconciliations.queue.size").tag("controller", "nodehealth").gauge().value()).isEqualTo(2.0);
        assertThat(registry.getMeters()).extracting(m -> m.getId().getName()).noneMatch(n -> n.contains("nodehealth"));
        assertThat(registry.scrape()).contains("operator_sdk_reconciliations_executions{controller=\"nodehealth\",group=\"dentryguard.io\"",
                "operator_sdk_reconciliations_queue_size{controller=\"nodehealth\",group=\"dentryguard.io\"");
    }

    @Test
    void everyJosdkMeterHasItsOwnHelpText() throws Exception {
        PrometheusMeterRegistry registry = withEveryJosdkMeter();
        assertThat(registry.getMeters()).extracting(Meter::getId).filteredOn(i -> i.getName().startsWith(OperatorRegistry.JOSDK_PREFIX))
                .isNotEmpty()
                .allSatisfy(i -> assertThat(i.getDescription()).as(i.getName()).isNotBlank().isNotEqualTo(OperatorRegistry.UNKNOWN_JOSDK_METER));
    }

    @Test
    void aMeterOfALaterJosdkStillGetsAHelpTextAndOursKeepTheirs() {
        PrometheusMeterRegistry registry = OperatorRegistry.create();
        registry.counter("operator.sdk.something.new").increment();
        new OperatorMetrics(registry).skipped(io.dentryguard.operator.decide.SkipReason.TAINT_CEILING_REACHED);
        assertThat(registry.get("operator.sdk.something.new").counter().getId().getDescription()).isEqualTo(OperatorRegistry.UNKNOWN_JOSDK_METER);
        assertThat(registry.get("dentryguard_operator_skipped_actions").counter().getId().getDescription()).isEqualTo("Actions held back, by reason");
    }

    @Test
    void promtoolFindsNothingToSayAboutEveryJosdkMeterAndTheJvmMetrics() throws Exception {
        String scrape = withEveryJosdkMeter().scrape();
        Promtool.assertClean(scrape);
        assertThat(scrape).contains("operator_sdk_controllers_execution_cleanup_failure_total", "operator_sdk_reconciliations_failed_total",
                "operator_sdk_events_delete_total", "jvm_memory_used_bytes{", "process_cpu_usage ");
    }
}
