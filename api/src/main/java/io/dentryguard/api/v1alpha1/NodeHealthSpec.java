package io.dentryguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What a person may set on a node's NodeHealth ({@code paused}), and the operator's reclaim requests to its probe. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class NodeHealthSpec implements FieldByFieldDeserializer.Readable {
    @JsonPropertyDescription("Stops the operator acting on this node (no taint added or removed, no eviction); the probe still reports.")
    private boolean paused;

    @JsonPropertyDescription("Written by the operator: a reclaim it asks of this node's probe (docs/remediation.md).")
    private ReclaimRequest reclaim;

    @JsonIgnore
    private List<String> unreadableFields = List.of();

    public boolean isPaused() {
        return paused;
    }

    public void setPaused(boolean paused) {
        this.paused = paused;
    }

    public ReclaimRequest getReclaim() {
        return reclaim;
    }

    public void setReclaim(ReclaimRequest reclaim) {
        this.reclaim = reclaim;
    }

    @Override
    public List<String> unreadableFields() {
        return unreadableFields;
    }

    @Override
    @JsonIgnore
    public void setUnreadableFields(List<String> problems) {
        this.unreadableFields = problems;
    }

    @Override
    @JsonIgnore
    public void setNotAnObject(boolean notAnObject) {
        // Nothing of the spec is written by dentry-guard: the unreadable field names are enough.
    }
}
