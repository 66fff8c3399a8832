package io.dentryguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * The operator's request to a node's probe to reclaim dentries (docs/remediation.md), in the
 * NodeHealth's spec. The probe answers in {@code status.reclaimOutcome} with the same id. It
 * resolves the pod UID to the pod's memory cgroup itself: no path in a request is ever used.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class ReclaimRequest {
    /** What to reclaim. */
    public enum Scope {
        /** The memory cgroup of one pod: frees exactly its dentries, touches no neighbour. */
        @JsonProperty("Pod") POD,
        /** The whole node's reclaimable dentries and inodes (drop_caches = 2): the last rung, off by default. */
        @JsonProperty("Node") NODE;

        public String displayName() {
            return Verdict.capitalized(name());
        }
    }

    @Required
    @JsonPropertyDescription("Unique per request; the probe's status.reclaimOutcome.id answers it.")
    private String id;
    @Required
    private Scope scope;
    @JsonPropertyDescription("For scope Pod: the pod whose memory cgroup the probe reclaims (it finds the cgroup itself).")
    private String podUid;
    private String podNamespace;
    private String podName;
    @JsonPropertyDescription("When the operator asked (RFC 3339); a probe ignores a request older than its timeout.")
    private String requestedAt;

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public Scope getScope() { return scope; }
    public void setScope(Scope scope) { this.scope = scope; }
    public String getPodUid() { return podUid; }
    public void setPodUid(String podUid) { this.podUid = podUid; }
    public String getPodNamespace() { return podNamespace; }
    public void setPodNamespace(String podNamespace) { this.podNamespace = podNamespace; }
    public String getPodName() { return podName; }
    public void setPodName(String podName) { this.podName = podName; }
    public String getRequestedAt() { return requestedAt; }
    public void setRequestedAt(String requestedAt) { this.requestedAt = requestedAt; }
}
