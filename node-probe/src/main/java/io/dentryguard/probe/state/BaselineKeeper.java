package io.dentryguard.probe.state;

import io.dentryguard.probe.detector.LookupBaseline;
import java.io.IOException;

/** Somewhere the lookup baseline is kept so that a restarted probe resumes it: a file, the NodeHealth status. */
public interface BaselineKeeper {
    void save(LookupBaseline baseline) throws IOException;

    /** Where, for log lines. */
    String where();
}
