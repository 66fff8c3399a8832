package io.dentryguard.probe.actuator.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.v1alpha1.ReclaimRequest;
import io.dentryguard.api.v1alpha1.ReclaimRequest.Scope;
import io.dentryguard.probe.actuator.reclaim.ReclaimDecision.Decision;
import io.dentryguard.probe.actuator.reclaim.ReclaimDecision.Ignore;
import io.dentryguard.probe.actuator.reclaim.ReclaimDecision.Perform;
import io.dentryguard.probe.actuator.reclaim.ReclaimDecision.Refuse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReclaimDecisionTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final String UID = "3f2b8c1e-7a4d-4e5f-9b6a-0c1d2e3f4a5b";
    private static final Path CGROUP = Path.of("/sys/fs/cgroup/memory/kubepods/burstable/pod" + UID);

    private static ReclaimRequest request(String id, Scope scope, String podUid) {
        ReclaimRequest r = new ReclaimRequest();
        r.setId(id);
        r.setScope(scope);
        r.setPodUid(podUid);
        r.setRequestedAt(NOW.minusSeconds(30).toString());
        return r;
    }

    private static ReclaimDecision.Context context(ReclaimCapabilities caps, String last, Optional<Path> cgroup) {
        return new ReclaimDecision.Context("node-a", "node-a", caps, last, NOW, Duration.ofMinutes(5), cgroup);
    }

    private static Decision decide(ReclaimRequest r) {
        return ReclaimDecision.decide(r, context(ReclaimCapabilities.all(), null, Optional.of(CGROUP)));
    }

    @Test
    void performsAPodReclaimOnTheResolvedCgroup() {
        assertThat(decide(request("r1", Scope.POD, UID))).isEqualTo(new Perform("r1", Scope.POD, CGROUP));
    }

    @Test
    void performsANodeReclaimWithoutACgroup() {
        assertThat(ReclaimDecision.decide(request("r1", Scope.NODE, null), context(ReclaimCapabilities.all(), null, Optional.empty())))
                .isEqualTo(new Perform("r1", Scope.NODE, null));
    }

    @Test
    void ignoresNoRequestAndOneWithoutId() {
        assertThat(decide(null)).isInstanceOf(Ignore.class);
        assertThat(decide(request(null, Scope.POD, UID))).isInstanceOf(Ignore.class);
        assertThat(decide(request(" ", Scope.POD, UID))).isInstanceOf(Ignore.class);
    }

    @Test
    void ignoresARequestAlreadyAnswered() {
        Decision d = ReclaimDecision.decide(request("r1", Scope.POD, UID), context(ReclaimCapabilities.all(), "r1", Optional.of(CGROUP)));
        assertThat(d).isEqualTo(new Ignore("request r1 already answered"));
        assertThat(ReclaimDecision.decide(request("r2", Scope.POD, UID), context(ReclaimCapabilities.all(), "r1", Optional.of(CGROUP))))
                .isInstanceOf(Perform.class);
    }

    @Test
    void refusesARequestInAnotherNodesNodeHealth() {
        Decision d = ReclaimDecision.decide(request("r1", Scope.POD, UID), new ReclaimDecision.Context("node-b", "node-a",
                ReclaimCapabilities.all(), null, NOW, Duration.ofMinutes(5), Optional.of(CGROUP)));
        assertThat(d).isInstanceOfSatisfying(Refuse.class, r -> assertThat(r.reason()).contains("node-b").contains("node-a"));
    }

    @Test
    void refusesMalformedRequests() {
        assertThat(refusal(request("r1", null, UID))).contains("no scope");
        assertThat(refusal(request("r1", Scope.POD, null))).contains("without podUid");
        assertThat(refusal(request("r1", Scope.POD, ""))).contains("without podUid");
        assertThat(refusal(request("r1", Scope.POD, "../../x"))).contains("is not a pod UID");
        assertThat(refusal(request("r1", Scope.POD, UID + "/../../../proc"))).contains("is not a pod UID");
        assertThat(refusal(request("r1", Scope.POD, UID.toUpperCase()))).contains("is not a pod UID");
        ReclaimRequest noTime = request("r1", Scope.POD, UID);
        noTime.setRequestedAt(null);
        assertThat(refusal(noTime)).contains("no requestedAt");
        ReclaimRequest badTime = request("r1", Scope.POD, UID);
        badTime.setRequestedAt("yesterday");
        assertThat(refusal(badTime)).contains("not an RFC 3339 time");
    }

    @Test
    void refusesARequestOlderThanTheTimeout() {
        ReclaimRequest old = request("r1", Scope.POD, UID);
        old.setRequestedAt(NOW.minus(Duration.ofMinutes(6)).toString());
        assertThat(refusal(old)).contains("too old").contains("360 s ago");
        old.setRequestedAt(NOW.minus(Duration.ofMinutes(5)).toString());
        assertThat(decide(old)).as("exactly the timeout is still in time").isInstanceOf(Perform.class);
    }

    @Test
    void refusesAScopeThisProbeCannotPerform() {
        ReclaimCapabilities podsOnly = ReclaimCapabilities.of(Map.of(Scope.NODE, "off (--reclaim-node not given)"));
        assertThat(ReclaimDecision.decide(request("r1", Scope.NODE, null), context(podsOnly, null, Optional.empty())))
                .isInstanceOfSatisfying(Refuse.class, r -> assertThat(r.reason()).isEqualTo(
                        "scope Node is not available on this probe: off (--reclaim-node not given)"));
        ReclaimCapabilities readOnly = ReclaimCapabilities.of(Map.of(Scope.POD, "memory.force_empty is not writable"));
        assertThat(ReclaimDecision.decide(request("r1", Scope.POD, UID), context(readOnly, null, Optional.of(CGROUP))))
                .isInstanceOfSatisfying(Refuse.class, r -> assertThat(r.reason()).contains("not writable"));
    }

    @Test
    void refusesAPodWhoseCgroupIsNotOnThisNode() {
        assertThat(ReclaimDecision.decide(request("r1", Scope.POD, UID), context(ReclaimCapabilities.all(), null, Optional.empty())))
                .isInstanceOfSatisfying(Refuse.class, r -> assertThat(r.reason()).contains("no memory cgroup of pod " + UID));
    }

    @Test
    void capabilitiesSayWhichScopesAndWhyNotTheOthers() {
        ReclaimCapabilities c = ReclaimCapabilities.of(Map.of(Scope.NODE, "off"));
        assertThat(c.scopes()).containsExactly(Scope.POD);
        assertThat(c.limits()).isEqualTo("Node: off");
        assertThat(c.describe()).isEqualTo("reclaim: can perform scope Pod; not Node: off");
        assertThat(ReclaimCapabilities.all().limits()).isNull();
        assertThat(ReclaimCapabilities.none("x").describe()).isEqualTo("reclaim: can perform no scope; not Pod: x; Node: x");
    }

    private static String refusal(ReclaimRequest r) {
        Decision d = decide(r);
        assertThat(d).isInstanceOf(Refuse.class);
        return ((Refuse) d).reason();
    }
}
