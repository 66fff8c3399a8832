package io.dentryguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.List;

/** The probe's lookup baseline, kept in status so that a restarted probe resumes it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class BaselineStatus {
    private String kernel;
    private String firstLearnedAt;
    private String updatedAt;
    private List<Double> relativeCosts = new ArrayList<>();
    private List<Double> nsPerLookups = new ArrayList<>();

    public String getKernel() { return kernel; }
    public void setKernel(String kernel) { this.kernel = kernel; }
    public String getFirstLearnedAt() { return firstLearnedAt; }
    public void setFirstLearnedAt(String firstLearnedAt) { this.firstLearnedAt = firstLearnedAt; }
    public String getUpdatedAt() { return updatedAt; }
    public void setUpdatedAt(String updatedAt) { this.updatedAt = updatedAt; }
    public List<Double> getRelativeCosts() { return relativeCosts; }
    public void setRelativeCosts(List<Double> relativeCosts) { this.relativeCosts = relativeCosts; }
    public List<Double> getNsPerLookups() { return nsPerLookups; }
    public void setNsPerLookups(List<Double> nsPerLookups) { this.nsPerLookups = nsPerLookups; }
}
