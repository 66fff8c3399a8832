package io.dentryguard.operator.reconcile;

import io.dentryguard.operator.config.OperatorSettings;
import io.dentryguard.operator.metrics.OperatorMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;

/** Assembles the JOSDK Operator the same way for the command and for the tests. */
public final class OperatorFactory {
    private OperatorFactory() {}

    /** The Operator for the settings, with the NodeHealth reconciler registered. */
    public static Operator create(KubernetesClient client, OperatorSettings settings, Optional<LeaderElectionConfiguration> leaderElection,
                                  MeterRegistry registry, Clock clock) {
        return create(client, new NodeHealthReconciler(client, settings.policy(), settings.remediation(), settings.ladder(), clock,
                settings.resync(), settings.eventNamespace(), new OperatorMetrics(registry)), leaderElection, registry);
    }

    public static Operator create(KubernetesClient client, NodeHealthReconciler reconciler,
                                  Optional<LeaderElectionConfiguration> leaderElection, MeterRegistry registry) {
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    // Server-side apply is not used: the operator writes JSON patches of its own fields only.
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    // An API server that is down at start-up is waited for, not a reason to exit and
                    // crash-loop: /healthz says so meanwhile.
                    .withStopOnInformerErrorDuringStartup(false)
                    // Not per resource: with 5,000 NodeHealths the heap used after a full GC was 213-221 MiB
                    // with a meter per resource and 37-96 MiB without (bench/README.md); and it would be
                    // 5,000 series for Prometheus.
                    .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
            leaderElection.ifPresent(o::withLeaderElectionConfiguration);
        });
        operator.register(reconciler);
        return operator;
    }
}
