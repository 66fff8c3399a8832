package io.dentryguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * The probe's report (verdict, figures, offenders, baseline) and the operator's record of what it
 * did (tainted, intended actions, conditions). Each side patches only its own fields.
 *
 * <p>Fields this version does not know (from a newer probe or operator) are ignored, and fields that do
 * not read are named in {@link #unreadableFields()} instead of failing the whole object.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class NodeHealthStatus implements FieldByFieldDeserializer.Readable {
    /** The fields the operator writes; the probe writes all the others. */
    public static final java.util.Set<String> OPERATOR_FIELDS = java.util.Set.of("tainted", "intendedActions", "healthySince",
            "skipReason", "conditions", "remediation");

    // Written by the probe.
    @JsonPropertyDescription("The probe's verdict.")
    private Verdict verdict;
    private List<String> reasons = new ArrayList<>();
    @Min(0)
    private Long totalDentries;
    @Min(0)
    private Long negativeDentries;
    @Min(0)
    private Long dentrySlabBytes;
    @Min(1)
    private Long hashBuckets;
    @Min(0)
    @JsonPropertyDescription("Average dentries per hash bucket.")
    private Double chainLength;
    @Min(0)
    @JsonPropertyDescription("Canary lookup cost relative to the node's baseline.")
    private Double lookupRatio;
    private String topOffender;
    private List<OffenderStatus> offenders = new ArrayList<>();
    private BaselineStatus baseline;
    @JsonPropertyDescription("Since when the probe's verdict has been what it is now (RFC 3339), set by the probe at each verdict change.")
    private String verdictSince;
    @JsonPropertyDescription("When the probe last wrote this status (RFC 3339).")
    private String lastReportTime;
    private String probeVersion;
    private String kernel;
    @JsonPropertyDescription("The reclaim scopes this probe can perform (its host mounts writable, the rung enabled); empty: none.")
    private List<ReclaimRequest.Scope> reclaimScopes = new ArrayList<>();
    @JsonPropertyDescription("Why a scope is missing from reclaimScopes, e.g. the cgroup tree mounted read-only.")
    private String reclaimLimits;
    @JsonPropertyDescription("The probe's answer to the last reclaim request it took (spec.reclaim).")
    private ReclaimOutcome reclaimOutcome;

    // Written by the operator.
    @JsonPropertyDescription("Whether the operator's dentry-pressure taint is on the node.")
    private Boolean tainted;
    @JsonPropertyDescription("Actions the operator would take; recorded instead of taken in dry-run.")
    private List<String> intendedActions = new ArrayList<>();
    @JsonPropertyDescription("Since when the verdict has been Healthy (RFC 3339); the taint comes off a hold-down after it.")
    private String healthySince;
    @JsonPropertyDescription("Why the operator last held back an action (CamelCase), empty when it did not.")
    private String skipReason;
    private List<Condition> conditions = new ArrayList<>();
    @JsonPropertyDescription("Where the operator is on the remediation ladder for this node; absent when it is not on it.")
    private RemediationStatus remediation;

    @JsonIgnore
    private List<String> unreadableFields = List.of();
    @JsonIgnore
    private boolean notAnObject;

    public Verdict getVerdict() { return verdict; }
    public void setVerdict(Verdict verdict) { this.verdict = verdict; }
    public List<String> getReasons() { return reasons; }
    public void setReasons(List<String> reasons) { this.reasons = reasons; }
    public Long getTotalDentries() { return totalDentries; }
    public void setTotalDentries(Long totalDentries) { this.totalDentries = totalDentries; }
    public Long getNegativeDentries() { return negativeDentries; }
    public void setNegativeDentries(Long negativeDentries) { this.negativeDentries = negativeDentries; }
    public Long getDentrySlabBytes() { return dentrySlabBytes; }
    public void setDentrySlabBytes(Long dentrySlabBytes) { this.dentrySlabBytes = dentrySlabBytes; }
    public Long getHashBuckets() { return hashBuckets; }
    public void setHashBuckets(Long hashBuckets) { this.hashBuckets = hashBuckets; }
    public Double getChainLength() { return chainLength; }
    public void setChainLength(Double chainLength) { this.chainLength = chainLength; }
    public Double getLookupRatio() { return lookupRatio; }
    public void setLookupRatio(Double lookupRatio) { this.lookupRatio = lookupRatio; }
    public String getTopOffender() { return topOffender; }
    public void setTopOffender(String topOffender) { this.topOffender = topOffender; }
    public List<OffenderStatus> getOffenders() { return offenders; }
    public void setOffenders(List<OffenderStatus> offenders) { this.offenders = offenders; }
    public BaselineStatus getBaseline() { return baseline; }
    public void setBaseline(BaselineStatus baseline) { this.baseline = baseline; }
    public String getVerdictSince() { return verdictSince; }
    public void setVerdictSince(String verdictSince) { this.verdictSince = verdictSince; }
    public String getLastReportTime() { return lastReportTime; }
    public void setLastReportTime(String lastReportTime) { this.lastReportTime = lastReportTime; }
    public String getProbeVersion() { return probeVersion; }
    public void setProbeVersion(String probeVersion) { this.probeVersion = probeVersion; }
    public RemediationStatus getRemediation() { return remediation; }
    public void setRemediation(RemediationStatus remediation) { this.remediation = remediation; }
    public String getKernel() { return kernel; }
    public void setKernel(String kernel) { this.kernel = kernel; }
    public List<ReclaimRequest.Scope> getReclaimScopes() { return reclaimScopes; }
    public void setReclaimScopes(List<ReclaimRequest.Scope> reclaimScopes) { this.reclaimScopes = reclaimScopes; }
    public String getReclaimLimits() { return reclaimLimits; }
    public void setReclaimLimits(String reclaimLimits) { this.reclaimLimits = reclaimLimits; }
    public ReclaimOutcome getReclaimOutcome() { return reclaimOutcome; }
    public void setReclaimOutcome(ReclaimOutcome reclaimOutcome) { this.reclaimOutcome = reclaimOutcome; }
    public Boolean getTainted() { return tainted; }
    public void setTainted(Boolean tainted) { this.tainted = tainted; }
    public List<String> getIntendedActions() { return intendedActions; }
    public void setIntendedActions(List<String> intendedActions) { this.intendedActions = intendedActions; }
    public String getHealthySince() { return healthySince; }
    public void setHealthySince(String healthySince) { this.healthySince = healthySince; }
    public String getSkipReason() { return skipReason; }
    public void setSkipReason(String skipReason) { this.skipReason = skipReason; }
    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions; }

    @Override
    public List<String> unreadableFields() { return unreadableFields; }
    @Override
    @JsonIgnore
    public void setUnreadableFields(List<String> problems) { this.unreadableFields = problems; }
    @Override
    @JsonIgnore
    public void setNotAnObject(boolean notAnObject) { this.notAnObject = notAnObject; }
    /** The status was there but not an object (a string, a list): it can only be replaced whole, by a merge patch. */
    public boolean notAnObject() { return notAnObject; }
}
