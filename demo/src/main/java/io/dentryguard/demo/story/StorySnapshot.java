package io.dentryguard.demo.story;

import java.util.List;

/**
 * What the demo sees of the cluster at one look: the host's NodeHealth as the probe and the operator
 * wrote it, whether the operator's taint is on the host's Node, and the demo's pods. Plain values,
 * so that {@link StoryChanges} can tell what changed without a server.
 *
 * @param verdict the probe's verdict, null before its first report
 * @param reclaimRequest the NodeHealth's {@code spec.reclaim}, null when none
 * @param reclaimOutcome the probe's {@code status.reclaimOutcome}, null when none
 * @param remediation the operator's {@code status.remediation}, null when the node was never on the ladder
 */
public record StorySnapshot(String verdict, List<String> reasons, Double chainLength, Long negativeDentries, Long dentrySlabBytes,
                            Offender topOffender, boolean tainted, String taint, Request reclaimRequest, Outcome reclaimOutcome,
                            Remediation remediation, List<PodView> pods) {
    public StorySnapshot {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        pods = pods == null ? List.of() : List.copyOf(pods);
    }

    /** The probe's first offender of Medium confidence or more. */
    public record Offender(String namespace, String name, String podUid, String confidence, Double share, String reason) {
        String display() {
            return namespace != null && name != null ? namespace + "/" + name : "pod " + podUid;
        }
    }

    /** {@code spec.reclaim}. */
    public record Request(String id, String scope, String podNamespace, String podName, String podUid) {}

    /** {@code status.reclaimOutcome}. */
    public record Outcome(String id, String result, Long freedNegativeDentries, Long freedBytes, Double durationSeconds, String message) {}

    /** {@code status.remediation}. */
    public record Remediation(String step, String message, String evictedAt, String evictedPod, String evictedWorkload, String nodeReclaimAt) {}

    /** A pod of the demo: its ReplicaSet, where it is bound, its phase, whether it is being deleted. */
    public record PodView(String name, String uid, String owner, String node, String phase, boolean deleting) {}
}
