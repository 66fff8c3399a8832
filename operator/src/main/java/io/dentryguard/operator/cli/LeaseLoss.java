package io.dentryguard.operator.cli;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the operator does when it stops leading. A leader that lost its Lease while running must
 * stop acting at once: it exits, and its pod restarts as a follower. But stopping is also how a
 * SIGTERM ends, from the shutdown hook; JOSDK's own exit-on-stop-leading then called
 * {@code System.exit} inside that hook, which blocks forever: the pod hung until the kubelet killed
 * it (found by OperatorProcessIT on a real API server).
 */
final class LeaseLoss {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseLoss.class);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final IntConsumer exit;

    /** @param exit how to end the process, {@code System::exit} but for tests; called from a thread of its own */
    LeaseLoss(IntConsumer exit) {
        this.exit = exit;
    }

    /** The process is stopping (its shutdown hook runs): losing the Lease now is expected. */
    void stopping() {
        stopping.set(true);
    }

    LeaderElectionConfiguration configuration(String leaseName, String leaseNamespace, String identity) {
        return new LeaderElectionConfiguration(leaseName, leaseNamespace, LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE, LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, identity,
                new LeaderCallbacks(() -> { }, this::stoppedLeading, newLeader -> { }), false);
    }

    void stoppedLeading() {
        if (stopping.get()) {
            return;
        }
        LOG.error("lost the leader Lease while running: exiting, so that this pod restarts as a follower and acts no more");
        Thread exiting = new Thread(() -> exit.accept(1), "dentry-guard-lease-lost");
        exiting.start();
    }
}
