package io.dentryguard.probe.actuator.reclaim;

import io.dentryguard.probe.monitor.cgroup.KubeletCgroupNames;
import io.dentryguard.api.v1alpha1.ReclaimOutcome;
import io.dentryguard.api.v1alpha1.ReclaimRequest;
import io.dentryguard.api.v1alpha1.ReclaimRequest.Scope;
import io.dentryguard.api.v1alpha1.Rfc3339;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the probe carries out a reclaim request: a pure function of the request and what the
 * probe knows. It touches nothing; {@link PodCgroups} has resolved the pod's cgroup beforehand,
 * and {@link CgroupReclaimer} acts on a {@link Perform}.
 */
public final class ReclaimDecision {
    /** A pod UID as the API server makes them (lower-case RFC 4122 form): nothing else is ever looked for. */

    private ReclaimDecision() {}

    public sealed interface Decision permits Ignore, Refuse, Perform {}

    /** Nothing to answer: no request, one already answered, or one that cannot be answered (no id). */
    public record Ignore(String why) implements Decision {}

    /** Answered Refused, not tried. */
    public record Refuse(String id, String reason) implements Decision {
        /** The answer that says so. */
        public ReclaimOutcome outcome(Instant finishedAt) {
            ReclaimOutcome o = new ReclaimOutcome();
            o.setId(id);
            o.setResult(ReclaimOutcome.Result.REFUSED);
            o.setMessage(reason);
            o.setFinishedAt(finishedAt.toString());
            return o;
        }
    }

    /** Carry it out: {@code cgroup} is the pod's memory cgroup directory (scope Pod), null for scope Node. */
    public record Perform(String id, Scope scope, Path cgroup) implements Decision {}

    /**
     * What the probe knows when a request arrives.
     *
     * @param nodeHealthName the name of the NodeHealth the request is in
     * @param node           this probe's node
     * @param lastAnsweredId the id of the request it last answered (in memory, else its status's reclaimOutcome.id), or null
     * @param timeout        a request older than this is refused: the situation it was made for has passed
     * @param podCgroup      the pod's memory cgroup as {@link PodCgroups} found it on this node, if any
     */
    public record Context(String nodeHealthName, String node, ReclaimCapabilities capabilities, String lastAnsweredId,
                          Instant now, Duration timeout, Optional<Path> podCgroup) {}

    /** Whether {@code uid} is a pod UID: the only thing a Pod request may name. */
    public static boolean isPodUid(String uid) {
        return KubeletCgroupNames.isPodUid(uid);
    }

    public static Decision decide(ReclaimRequest request, Context c) {
        if (request == null) {
            return new Ignore("no request");
        }
        String id = request.getId();
        if (id == null || id.isBlank()) {
            return new Ignore("a request without an id cannot be answered");
        }
        if (Objects.equals(id, c.lastAnsweredId())) {
            return new Ignore("request " + id + " already answered");
        }
        if (!Objects.equals(c.nodeHealthName(), c.node())) {
            return new Refuse(id, "the request is in NodeHealth " + c.nodeHealthName() + ", this probe runs on node " + c.node());
        }
        Scope scope = request.getScope();
        if (scope == null) {
            return new Refuse(id, "malformed request: no scope (Pod or Node)");
        }
        if (request.getRequestedAt() == null) {
            return new Refuse(id, "malformed request: no requestedAt, so its age is unknown");
        }
        Instant asked = Rfc3339.parse(request.getRequestedAt());
        if (asked == null) {
            return new Refuse(id, "malformed request: requestedAt '" + request.getRequestedAt() + "' is not an RFC 3339 time");
        }
        Duration age = Duration.between(asked, c.now());
        if (age.compareTo(c.timeout()) > 0) {
            return new Refuse(id, "request too old: asked " + age.toSeconds() + " s ago, the probe takes requests up to "
                    + c.timeout().toSeconds() + " s old");
        }
        if (scope == Scope.POD) {
            String uid = request.getPodUid();
            if (uid == null || uid.isBlank()) {
                return new Refuse(id, "malformed request: scope Pod without podUid");
            }
            if (!isPodUid(uid)) {
                return new Refuse(id, "malformed request: podUid '" + shortened(uid) + "' is not a pod UID");
            }
        }
        return decideOnThisNode(id, scope, request.getPodUid(), c.capabilities(), c.podCgroup());
    }

    /**
     * The part of a decision every reclaim on this node goes through, the operator's requests as
     * much as {@code dentry-guard reclaim}'s: whether this probe can perform the scope, and for scope
     * Pod whether the pod's cgroup ({@code podCgroup}, as {@link PodCgroups} found it) is here.
     */
    public static Decision decideOnThisNode(String id, Scope scope, String podUid, ReclaimCapabilities capabilities,
                                            Optional<Path> podCgroup) {
        if (!capabilities.allows(scope)) {
            return new Refuse(id, "scope " + scope.displayName() + " is not available on this probe: " + capabilities.limit(scope));
        }
        if (scope == Scope.NODE) {
            return new Perform(id, Scope.NODE, null);
        }
        return podCgroup
                .<Decision>map(dir -> new Perform(id, Scope.POD, dir))
                .orElseGet(() -> new Refuse(id, "no memory cgroup of pod " + podUid
                        + " under the kubelet pod hierarchy of this node (not on this node, or already removed)"));
    }

    private static String shortened(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
