package io.dentryguard.probe.baseline;

import io.dentryguard.probe.detector.LookupBaseline;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A home of the baseline in memory, for tests: what it holds, what it was given, and whether saving fails. */
public final class HeldBaseline implements BaselineKeeper {
    private final String name;
    private LookupBaseline held;
    private IOException failure;
    public final List<LookupBaseline> saved = new ArrayList<>();

    public HeldBaseline(String name, LookupBaseline held) {
        this.name = name;
        this.held = held;
    }

    public HeldBaseline failingWith(String problem) {
        failure = new IOException(problem);
        return this;
    }

    @Override
    public Optional<LookupBaseline> load(String kernel) {
        return Optional.ofNullable(held).filter(b -> b.kernel().equals(kernel));
    }

    @Override
    public void save(LookupBaseline baseline) throws IOException {
        if (failure != null) {
            throw failure;
        }
        held = baseline;
        saved.add(baseline);
    }

    @Override
    public String where() {
        return name;
    }
}
