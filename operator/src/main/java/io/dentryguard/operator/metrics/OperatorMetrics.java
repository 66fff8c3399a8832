package io.dentryguard.operator.metrics;

import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.decide.SkipReason;
import io.dentryguard.operator.decide.TaintChange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The operator's own metrics, beside JOSDK's reconcile metrics: actions taken (or, in dry-run, only
 * intended), actions held back by reason, and nodes by effective verdict.
 */
public final class OperatorMetrics {
    private final MeterRegistry registry;

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @param dryRun intended only */
    public void action(TaintChange.Kind action, boolean dryRun) {
        Counter.builder("dentryguard_operator_actions").description("Actions on nodes, taken or (dry_run=true) only intended")
                .tag("action", action.metricName()).tag("dry_run", Boolean.toString(dryRun)).register(registry).increment();
    }

    /** A step of the remediation ladder taken (once per step, as its Event), e.g. step="request_pod_reclaim". */
    public void remediationStep(String step, boolean dryRun) {
        Counter.builder("dentryguard_operator_remediation_steps").description("Steps of the remediation ladder taken, by step")
                .tag("step", step).tag("dry_run", Boolean.toString(dryRun)).register(registry).increment();
    }

    /** Counted with the reason as the Event names it, for example TaintCeilingReached. */
    public void skipped(SkipReason reason) {
        Counter.builder("dentryguard_operator_skipped_actions").description("Actions held back, by reason")
                .tag("reason", reason.reason()).register(registry).increment();
    }

    /** Registers one gauge per verdict, computed from {@code byVerdict} at each scrape. */
    public void nodesByVerdict(Supplier<Map<Verdict, Long>> byVerdict) {
        for (Verdict v : Verdict.values()) {
            Gauge.builder("dentryguard_operator_nodes", () -> byVerdict.get().getOrDefault(v, 0L))
                    .description("NodeHealth objects by verdict (a stale report counts as Unknown)")
                    .tag("verdict", v.name().toLowerCase(Locale.ROOT)).register(registry);
        }
    }
}
