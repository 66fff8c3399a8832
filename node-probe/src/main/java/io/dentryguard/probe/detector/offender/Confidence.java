package io.dentryguard.probe.detector.offender;

/** How sure the probe is that a cgroup caused the node's negative dentries. */
public enum Confidence {
    LOW("Low"), MEDIUM("Medium"), HIGH("High");

    private final String displayName;

    Confidence(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
