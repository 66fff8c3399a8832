package io.dentryguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** The probe's answer to the last reclaim request it took, in the NodeHealth's status. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class ReclaimOutcome {
    public enum Result {
        /** Reclaimed; the figures say what it freed. */
        @JsonProperty("Done") DONE,
        /** Tried, and the kernel refused or the cgroup vanished: the message says why. */
        @JsonProperty("Failed") FAILED,
        /** Not tried: this probe may not (its mounts are read-only, the rung is off) or the request is not for it. */
        @JsonProperty("Refused") REFUSED;

        public String displayName() {
            return Verdict.capitalized(name());
        }
    }

    @JsonPropertyDescription("The id of the request this answers.")
    private String id;
    private Result result;
    private String message;
    @Min(0)
    @JsonPropertyDescription("Negative dentries of the node freed: nr_negative before minus after.")
    private Long freedNegativeDentries;
    @Min(0)
    @JsonPropertyDescription("Kernel memory freed: the pod cgroup's (scope Pod) or the dentry slab's (scope Node), before minus after.")
    private Long freedBytes;
    @Min(0)
    private Double durationSeconds;
    private String finishedAt;

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public Result getResult() { return result; }
    public void setResult(Result result) { this.result = result; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }
    public Long getFreedNegativeDentries() { return freedNegativeDentries; }
    public void setFreedNegativeDentries(Long freedNegativeDentries) { this.freedNegativeDentries = freedNegativeDentries; }
    public Long getFreedBytes() { return freedBytes; }
    public void setFreedBytes(Long freedBytes) { this.freedBytes = freedBytes; }
    public Double getDurationSeconds() { return durationSeconds; }
    public void setDurationSeconds(Double durationSeconds) { this.durationSeconds = durationSeconds; }
    public String getFinishedAt() { return finishedAt; }
    public void setFinishedAt(String finishedAt) { this.finishedAt = finishedAt; }
}
