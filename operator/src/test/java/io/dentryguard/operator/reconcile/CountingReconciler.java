package io.dentryguard.operator.reconcile;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.operator.decide.Policy;
import io.dentryguard.operator.decide.remediation.LadderTimings;
import io.dentryguard.operator.decide.remediation.RemediationPolicy;
import io.dentryguard.operator.metrics.OperatorMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The operator's reconciler, counting its reconciles, so a test can wait for several to have happened instead of sleeping. */
@ControllerConfiguration(name = NodeHealthReconciler.NAME, generationAwareEventProcessing = false)
public final class CountingReconciler extends NodeHealthReconciler {
    final AtomicInteger reconciles = new AtomicInteger();

    CountingReconciler(KubernetesClient client, Policy policy, Clock clock, Duration resync, MeterRegistry registry) {
        super(client, policy, clock, resync, TestCluster.EVENT_NAMESPACE, new OperatorMetrics(registry));
    }

    CountingReconciler(KubernetesClient client, Policy policy, RemediationPolicy remediation, LadderTimings ladder, Clock clock,
                       Duration resync, MeterRegistry registry) {
        super(client, policy, remediation, ladder, clock, resync, TestCluster.EVENT_NAMESPACE, new OperatorMetrics(registry));
    }

    @Override
    public UpdateControl<NodeHealth> reconcile(NodeHealth nh, Context<NodeHealth> context) {
        try {
            return super.reconcile(nh, context);
        } finally {
            reconciles.incrementAndGet();
        }
    }
}
