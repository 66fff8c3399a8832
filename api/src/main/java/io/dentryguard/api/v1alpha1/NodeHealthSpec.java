package io.dentryguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What a person may set on a node's NodeHealth. */
public class NodeHealthSpec {
    @JsonPropertyDescription("Stops the operator acting on this node (no taint added or removed, no eviction); the probe still reports.")
    private boolean paused;

    public boolean isPaused() {
        return paused;
    }

    public void setPaused(boolean paused) {
        this.paused = paused;
    }
}
