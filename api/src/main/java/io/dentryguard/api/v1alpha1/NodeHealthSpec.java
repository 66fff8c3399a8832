package io.dentryguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What a person may set on a node's NodeHealth. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class NodeHealthSpec implements FieldByFieldDeserializer.Readable {
    @JsonPropertyDescription("Stops the operator acting on this node (no taint added or removed, no eviction); the probe still reports.")
    private boolean paused;

    @JsonIgnore
    private List<String> unreadableFields = List.of();

    public boolean isPaused() {
        return paused;
    }

    public void setPaused(boolean paused) {
        this.paused = paused;
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
