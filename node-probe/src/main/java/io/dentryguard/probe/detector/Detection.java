package io.dentryguard.probe.detector;

/** An assessment together with the state to feed into the next sample. */
public record Detection(Assessment assessment, DetectorState state) {
}
