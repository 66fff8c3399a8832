package io.dentryguard.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaseLossTest {
    private final List<Integer> exits = new CopyOnWriteArrayList<>();
    private final LeaseLoss leaseLoss = new LeaseLoss(exits::add);

    @Test
    void aLeaderThatLosesItsLeaseWhileRunningExits() {
        leaseLoss.stoppedLeading();
        await().atMost(Duration.ofSeconds(5)).until(() -> exits.equals(List.of(1)));
    }

    @Test
    void stoppingOnSigtermIsNoReasonToExitAgain() throws InterruptedException {
        leaseLoss.stopping();
        leaseLoss.stoppedLeading();
        Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("dentry-guard-lease-lost")).forEach(t -> {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(exits).isEmpty();
    }

    @Test
    void josdkIsToldNotToExitItself() {
        var c = leaseLoss.configuration("dentry-guard-operator", "dentry-guard", "pod-1");
        assertThat(c.isExitOnStopLeading()).isFalse();
        assertThat(c.getLeaderCallbacks()).isPresent();
        assertThat(c.getIdentity()).hasValue("pod-1");
    }
}
