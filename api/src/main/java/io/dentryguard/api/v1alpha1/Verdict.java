package io.dentryguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The probe's judgement; the CRD only admits these values. */
public enum Verdict {
    @JsonProperty("Healthy") HEALTHY,
    @JsonProperty("Warning") WARNING,
    @JsonProperty("Degraded") DEGRADED,
    @JsonProperty("Critical") CRITICAL,
    @JsonProperty("Unknown") UNKNOWN
}
