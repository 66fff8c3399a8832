package io.dentryguard.operator.decide.remediation;

import io.dentryguard.api.v1alpha1.OffenderStatus;
import io.dentryguard.api.v1alpha1.ReclaimOutcome;
import io.dentryguard.api.v1alpha1.ReclaimRequest;
import io.dentryguard.api.v1alpha1.Verdict;
import java.util.Set;

/**
 * What the ladder decides on, for one node, as read by the observing step.
 *
 * @param verdict       the node's effective verdict (Unknown when the report is stale)
 * @param offender      the probe's top offender, null when it names none
 * @param offenderPod   the API's facts of that offender's pod, null when it has no pod or the pod is gone
 * @param request       the NodeHealth's spec.reclaim as stored, null when none
 * @param outcome       the probe's status.reclaimOutcome, null when none
 * @param probeCan      the scopes the probe says it can perform (status.reclaimScopes)
 * @param recorded      the ladder state recorded, null when the node is not on the ladder
 */
public record LadderSituation(Verdict verdict, OffenderStatus offender, PodFacts offenderPod, ReclaimRequest request,
                              ReclaimOutcome outcome, Set<ReclaimRequest.Scope> probeCan, LadderState recorded) {
    public LadderSituation {
        probeCan = probeCan == null ? Set.of() : Set.copyOf(probeCan);
    }

    /** Degraded or Critical: every rung may be taken. */
    boolean flooded() {
        return verdict == Verdict.DEGRADED || verdict == Verdict.CRITICAL;
    }

    /** Warning: a pod may be reclaimed in place, nothing more. */
    boolean warning() {
        return verdict == Verdict.WARNING;
    }

    /** A request the probe has not answered yet. */
    boolean requestOutstanding() {
        return request != null && request.getId() != null && (outcome == null || !request.getId().equals(outcome.getId()));
    }
}
