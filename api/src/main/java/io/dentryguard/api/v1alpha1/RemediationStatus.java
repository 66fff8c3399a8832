package io.dentryguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/**
 * Where the operator is on the remediation ladder for this node (docs/remediation.md), written by
 * the operator so that a restarted operator goes on where the last one stopped. Absent when the
 * node is not on the ladder.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class RemediationStatus {
    @JsonPropertyDescription("The ladder's last step: Wait, Hold, RequestPodReclaim, Evict, RequestNodeReclaim.")
    private String step;
    @JsonPropertyDescription("Why, in words: what was done or what holds the next rung back.")
    private String message;
    @JsonPropertyDescription("When the node was first seen flooded in this episode (RFC 3339); escalation counts from here.")
    private String since;
    private String podUid;
    @JsonPropertyDescription("The offender worked on, namespace/name.")
    private String pod;
    @Min(0)
    @JsonPropertyDescription("Reclaims of that pod the probe answered Done; only a pod reclaimed twice that floods again is evicted.")
    private Integer reclaims;
    @JsonPropertyDescription("The request whose Done answer was counted last.")
    private String lastDoneRequestId;
    private String lastRequestId;
    private String lastRequestAt;
    private String evictedAt;
    @JsonPropertyDescription("The workload of the evicted pod, e.g. Deployment shop/web: its cooldown runs from evictedAt.")
    private String evictedWorkload;
    private String nodeReclaimAt;

    public String getStep() { return step; }
    public void setStep(String step) { this.step = step; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }
    public String getSince() { return since; }
    public void setSince(String since) { this.since = since; }
    public String getPodUid() { return podUid; }
    public void setPodUid(String podUid) { this.podUid = podUid; }
    public String getPod() { return pod; }
    public void setPod(String pod) { this.pod = pod; }
    public Integer getReclaims() { return reclaims; }
    public void setReclaims(Integer reclaims) { this.reclaims = reclaims; }
    public String getLastDoneRequestId() { return lastDoneRequestId; }
    public void setLastDoneRequestId(String lastDoneRequestId) { this.lastDoneRequestId = lastDoneRequestId; }
    public String getLastRequestId() { return lastRequestId; }
    public void setLastRequestId(String lastRequestId) { this.lastRequestId = lastRequestId; }
    public String getLastRequestAt() { return lastRequestAt; }
    public void setLastRequestAt(String lastRequestAt) { this.lastRequestAt = lastRequestAt; }
    public String getEvictedAt() { return evictedAt; }
    public void setEvictedAt(String evictedAt) { this.evictedAt = evictedAt; }
    public String getEvictedWorkload() { return evictedWorkload; }
    public void setEvictedWorkload(String evictedWorkload) { this.evictedWorkload = evictedWorkload; }
    public String getNodeReclaimAt() { return nodeReclaimAt; }
    public void setNodeReclaimAt(String nodeReclaimAt) { this.nodeReclaimAt = nodeReclaimAt; }
}
