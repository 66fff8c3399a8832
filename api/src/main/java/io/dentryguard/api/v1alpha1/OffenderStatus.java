package io.dentryguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** A suspected offender as the probe reported it (docs/probe.md, Offenders). */
@JsonIgnoreProperties(ignoreUnknown = true)
public class OffenderStatus {
    /** How sure the probe is that a cgroup caused the node's negative dentries. */
    public enum Confidence {
        @JsonProperty("High") HIGH(2),
        @JsonProperty("Medium") MEDIUM(1),
        @JsonProperty("Low") LOW(0);

        private final int strength;
        private final String displayName;

        Confidence(int strength) {
            this.strength = strength;
            this.displayName = Verdict.capitalized(name());
        }

        /** As people and the JSON read it: "High". */
        public String displayName() {
            return displayName;
        }

        /** Higher is surer; what offenders are ranked by (not the declaration order, which the CRD lists). */
        public int strength() {
            return strength;
        }
    }

    private String cgroup;
    private String kind;
    private String podUid;
    private String podNamespace;
    private String podName;
    private String containerId;
    @Min(0)
    private Long kernelMemoryBytes;
    private Double growthBytesPerSecond;
    @Min(0)
    @Max(1)
    private Double share;
    private Confidence confidence;
    private String reason;

    public String getCgroup() { return cgroup; }
    public void setCgroup(String cgroup) { this.cgroup = cgroup; }
    public String getKind() { return kind; }
    public void setKind(String kind) { this.kind = kind; }
    public String getPodUid() { return podUid; }
    public void setPodUid(String podUid) { this.podUid = podUid; }
    public String getPodNamespace() { return podNamespace; }
    public void setPodNamespace(String podNamespace) { this.podNamespace = podNamespace; }
    public String getPodName() { return podName; }
    public void setPodName(String podName) { this.podName = podName; }
    public String getContainerId() { return containerId; }
    public void setContainerId(String containerId) { this.containerId = containerId; }
    public Long getKernelMemoryBytes() { return kernelMemoryBytes; }
    public void setKernelMemoryBytes(Long kernelMemoryBytes) { this.kernelMemoryBytes = kernelMemoryBytes; }
    public Double getGrowthBytesPerSecond() { return growthBytesPerSecond; }
    public void setGrowthBytesPerSecond(Double growthBytesPerSecond) { this.growthBytesPerSecond = growthBytesPerSecond; }
    public Double getShare() { return share; }
    public void setShare(Double share) { this.share = share; }
    public Confidence getConfidence() { return confidence; }
    public void setConfidence(Confidence confidence) { this.confidence = confidence; }
    public String getReason() { return reason; }
    public void setReason(String reason) { this.reason = reason; }
}
