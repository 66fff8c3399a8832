package io.dentryguard.operator.observe;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.dentryguard.api.v1alpha1.OffenderStatus;
import io.dentryguard.api.v1alpha1.RemediationStatus;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.api.v1alpha1.Rfc3339;
import io.dentryguard.operator.decide.remediation.EvictionGuard;
import io.dentryguard.operator.decide.remediation.LadderState;
import io.dentryguard.operator.decide.remediation.LadderSituation;
import io.dentryguard.operator.decide.remediation.PodFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The observing step of the ladder: what the NodeHealths say, turned into what the ladder decides on. */
public final class LadderReader {
    private LadderReader() {}

    /** The probe's top offender, null when it names none. */
    public static OffenderStatus topOffender(NodeHealth nh) {
        NodeHealthStatus s = nh.getStatus();
        return s == null || s.getOffenders() == null || s.getOffenders().isEmpty() ? null : s.getOffenders().get(0);
    }

    /**
     * @param verdict     the node's effective verdict (Unknown when stale)
     * @param offenderPod the API's facts of the top offender's pod, null when there is none
     */
    public static LadderSituation situation(NodeHealth nh, Verdict verdict, PodFacts offenderPod) {
        NodeHealthStatus s = nh.getStatus();
        return new LadderSituation(verdict, topOffender(nh), offenderPod, nh.getSpec() == null ? null : nh.getSpec().getReclaim(),
                s == null ? null : s.getReclaimOutcome(), s == null || s.getReclaimScopes() == null ? null
                        : s.getReclaimScopes().stream().filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.toSet()),
                s == null ? null : state(s.getRemediation()));
    }

    /** The recorded ladder state, null when there is none or it does not read (then the ladder starts again). */
    public static LadderState state(RemediationStatus r) {
        Instant since = r == null ? null : Rfc3339.parse(r.getSince());
        if (since == null) {
            return null;
        }
        return new LadderState(since, r.getPodUid(), r.getPod(), r.getReclaims() == null ? 0 : r.getReclaims(), r.getLastDoneRequestId(),
                r.getLastRequestId(),
                Rfc3339.parse(r.getLastRequestAt()), Rfc3339.parse(r.getEvictedAt()), Rfc3339.parse(r.getNodeReclaimAt()));
    }

    /** The evictions recorded on every NodeHealth: what the cooldowns and rate limits count. */
    public static EvictionGuard.History history(Stream<NodeHealth> all, String node) {
        Map<String, Instant> byWorkload = new HashMap<>();
        List<Instant> onNode = new ArrayList<>();
        List<Instant> everywhere = new ArrayList<>();
        all.forEach(nh -> {
            RemediationStatus r = nh.getStatus() == null ? null : nh.getStatus().getRemediation();
            Instant at = r == null ? null : Rfc3339.parse(r.getEvictedAt());
            if (at == null) {
                return;
            }
            everywhere.add(at);
            if (nh.getMetadata().getName().equals(node)) {
                onNode.add(at);
            }
            if (r.getEvictedWorkload() != null) {
                byWorkload.merge(r.getEvictedWorkload(), at, (a, b) -> a.isAfter(b) ? a : b);
            }
        });
        onNode.sort(Comparator.naturalOrder());
        everywhere.sort(Comparator.naturalOrder());
        return new EvictionGuard.History(byWorkload, onNode, everywhere);
    }
}
