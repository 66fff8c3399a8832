package io.dentryguard.operator.decide.remediation;

import java.time.Instant;

/**
 * Where a node is on the ladder, as the operator records it between reconciles (in its NodeHealth
 * status, so that a restarted operator goes on where the last one stopped).
 *
 * @param since          when the node was first seen flooded in this episode: escalation counts from here
 * @param podUid         the offender worked on, null before one is named
 * @param pod            its namespace/name, for messages
 * @param reclaims       reclaims of that pod the probe answered Done in this episode: only a pod reclaimed
 *                       twice is ever evicted
 * @param lastDoneId     the request whose Done answer was counted last, so that no answer counts twice
 * @param lastRequestId  the last reclaim request written to spec.reclaim, null before the first
 * @param lastRequestAt  when it was written
 * @param evictedAt      when that pod was evicted, null if it was not
 * @param nodeReclaimAt  when a node-wide reclaim was last requested
 */
public record LadderState(Instant since, String podUid, String pod, int reclaims, String lastDoneId, String lastRequestId,
                          Instant lastRequestAt, Instant evictedAt, Instant nodeReclaimAt) {
    public static LadderState start(Instant now) {
        return new LadderState(now, null, null, 0, null, null, null, null, null);
    }

    LadderState working(String uid, String name) {
        return uid.equals(podUid) ? this
                : new LadderState(since, uid, name, 0, lastDoneId, lastRequestId, lastRequestAt, null, nodeReclaimAt);
    }

    LadderState requested(String id, Instant at, boolean nodeWide) {
        return new LadderState(since, podUid, pod, reclaims, lastDoneId, id, at, evictedAt, nodeWide ? at : nodeReclaimAt);
    }

    /** The probe answered {@code id} Done: one more reclaim of the pod. */
    LadderState done(String id) {
        return new LadderState(since, podUid, pod, reclaims + 1, id, lastRequestId, lastRequestAt, evictedAt, nodeReclaimAt);
    }

    LadderState evicted(Instant at) {
        return new LadderState(since, podUid, pod, reclaims, lastDoneId, lastRequestId, lastRequestAt, at, nodeReclaimAt);
    }
}
