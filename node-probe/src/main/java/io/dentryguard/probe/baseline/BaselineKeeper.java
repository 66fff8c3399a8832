package io.dentryguard.probe.baseline;

import io.dentryguard.probe.detector.LookupBaseline;
import java.io.IOException;
import java.util.Optional;

/**
 * A home of the lookup baseline across restarts (a file, the NodeHealth status), so that a
 * restarted probe resumes it instead of learning it again, possibly on a flooded node.
 */
public interface BaselineKeeper {
    /**
     * The baseline kept here, if there is one, it reads, and it was learned on {@code kernel}. Never
     * throws: a baseline that cannot be had is logged, and the probe learns a new one.
     */
    Optional<LookupBaseline> load(String kernel);

    void save(LookupBaseline baseline) throws IOException;

    /** Where, for log lines. */
    String where();
}
