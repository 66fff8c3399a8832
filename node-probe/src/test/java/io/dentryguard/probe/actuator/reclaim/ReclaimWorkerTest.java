package io.dentryguard.probe.actuator.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthSpec;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.dentryguard.api.v1alpha1.ReclaimOutcome;
import io.dentryguard.api.v1alpha1.ReclaimRequest;
import io.dentryguard.api.v1alpha1.ReclaimRequest.Scope;
import io.dentryguard.probe.monitor.ProcFiles;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReclaimWorkerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    private static final String UID = "3f2b8c1e-7a4d-4e5f-9b6a-0c1d2e3f4a5b";
    private final List<ReclaimOutcome> written = new ArrayList<>();
    private final List<String> resolved = new ArrayList<>();

    private ReclaimWorker worker(ReclaimCapabilities caps) {
        CgroupReclaimer reclaimer = new CgroupReclaimer(new ProcFiles(Path.of("/nonexistent")), Path.of("/nonexistent/sys/vm/drop_caches"), null, (f, v) -> { }, CLOCK, () -> 0);
        return new ReclaimWorker("node-a", caps, uid -> {
            resolved.add(uid);
            return Optional.empty();
        }, reclaimer, (o, exists) -> written.add(o), CLOCK, Duration.ofMinutes(5), Duration.ofMillis(1));
    }

    private static NodeHealth nodeHealth(String name, String id, Scope scope, String answered) {
        NodeHealth nh = new NodeHealth();
        nh.getMetadata().setName(name);
        NodeHealthSpec spec = new NodeHealthSpec();
        ReclaimRequest r = new ReclaimRequest();
        r.setId(id);
        r.setScope(scope);
        r.setPodUid(UID);
        r.setRequestedAt("2026-12-01T09:59:00Z");
        spec.setReclaim(r);
        nh.setSpec(spec);
        if (answered != null) {
            NodeHealthStatus status = new NodeHealthStatus();
            ReclaimOutcome o = new ReclaimOutcome();
            o.setId(answered);
            status.setReclaimOutcome(o);
            nh.setStatus(status);
        }
        return nh;
    }

    @Test
    void aProbeWithoutReclaimAnswersRefusedOnceAndDoesNotLookForTheCgroup() {
        ReclaimWorker w = worker(ReclaimCapabilities.none("off"));
        assertThat(w.handle(nodeHealth("node-a", "r1", Scope.POD, null))).hasValueSatisfying(o -> {
            assertThat(o.getResult()).isEqualTo(ReclaimOutcome.Result.REFUSED);
            assertThat(o.getMessage()).contains("off");
        });
        assertThat(w.handle(nodeHealth("node-a", "r1", Scope.POD, null))).as("answered already").isEmpty();
        assertThat(written).hasSize(1);
        assertThat(resolved).isEmpty();
    }

    @Test
    void aRestartedProbeDoesNotAnswerAgainWhatItsStatusAnswered() {
        assertThat(worker(ReclaimCapabilities.all()).handle(nodeHealth("node-a", "r1", Scope.POD, "r1"))).isEmpty();
        assertThat(written).isEmpty();
    }

    @Test
    void aPodNotOnThisNodeIsRefusedAfterLookingForIt() {
        assertThat(worker(ReclaimCapabilities.all()).handle(nodeHealth("node-a", "r2", Scope.POD, "r1")))
                .hasValueSatisfying(o -> assertThat(o.getResult()).isEqualTo(ReclaimOutcome.Result.REFUSED));
        assertThat(resolved).containsExactly(UID);
    }

    @Test
    void anotherNodesNodeHealthIsRefused() {
        assertThat(worker(ReclaimCapabilities.all()).handle(nodeHealth("node-b", "r1", Scope.NODE, null)))
                .hasValueSatisfying(o -> assertThat(o.getMessage()).contains("node-b"));
    }

    @Test
    void aWriteThatFailsIsRetried() {
        int[] calls = {0};
        CgroupReclaimer reclaimer = new CgroupReclaimer(new ProcFiles(Path.of("/nonexistent")), Path.of("/nonexistent/sys/vm/drop_caches"), null, (f, v) -> { }, CLOCK, () -> 0);
        ReclaimWorker w = new ReclaimWorker("node-a", ReclaimCapabilities.none("off"), uid -> Optional.empty(), reclaimer, (o, exists) -> {
            if (calls[0]++ < 2) {
                throw new IllegalStateException("HTTP 500");
            }
        }, CLOCK, Duration.ofMinutes(5), Duration.ofMillis(1));
        w.handle(nodeHealth("node-a", "r1", Scope.NODE, null));
        assertThat(calls[0]).isEqualTo(3);
    }
}
