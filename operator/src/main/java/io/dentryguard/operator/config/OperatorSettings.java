package io.dentryguard.operator.config;

import io.dentryguard.operator.decide.Policy;
import io.dentryguard.operator.decide.remediation.LadderTimings;
import io.dentryguard.operator.decide.remediation.RemediationPolicy;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the operator is configured with, validated.
 *
 * @param policy          what the decision follows
 * @param resync          every NodeHealth is decided again at least this often
 * @param eventNamespace  where Events about Nodes and NodeHealths go (both are cluster-scoped)
 * @param leaderElection  whether to take a Lease before acting
 * @param leaseName       the Lease's name
 * @param leaseNamespace  the Lease's namespace; empty: the pod's own
 * @param metricsAddress  where /metrics and /healthz are served
 * @param metricsPort     0 picks a free port
 * @param remediation     the ladder's rungs and guard rails
 * @param ladder          the ladder's timings
 */
public record OperatorSettings(Policy policy, Duration resync, String eventNamespace, LeaderElection leaderElection,
                               String leaseName, Optional<String> leaseNamespace, String metricsAddress, int metricsPort,
                               RemediationPolicy remediation, LadderTimings ladder) {

    /** auto: on inside a pod (where more replicas may run), off elsewhere (./dentry-guard operator). */
    public enum LeaderElection { AUTO, TRUE, FALSE }
}
