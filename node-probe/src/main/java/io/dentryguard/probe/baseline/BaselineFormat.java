package io.dentryguard.probe.baseline;

import io.dentryguard.api.v1alpha1.BaselineStatus;
import io.dentryguard.probe.detector.LookupBaseline;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How a baseline is written down: as the NodeHealth status's {@code baseline} field, in the status and in the file alike. */
public final class BaselineFormat {
    private static final Logger LOG = LoggerFactory.getLogger(BaselineFormat.class);

    private BaselineFormat() {}

    public static BaselineStatus write(LookupBaseline b) {
        BaselineStatus s = new BaselineStatus();
        s.setKernel(b.kernel());
        s.setFirstLearnedAt(b.firstLearnedAt().toString());
        s.setUpdatedAt(b.updatedAt().toString());
        s.setRelativeCosts(b.relativeCosts());
        s.setNsPerLookups(b.nsPerLookups());
        return s;
    }

    /**
     * The baseline written in {@code s}, if it was learned on {@code kernel}: another kernel means another baseline.
     *
     * @param where where it was kept, for the log line
     * @throws RuntimeException if {@code s} is not a whole, valid baseline
     */
    static Optional<LookupBaseline> read(BaselineStatus s, String kernel, String where) {
        LookupBaseline b = new LookupBaseline(required(s.getRelativeCosts(), "relativeCosts"),
                required(s.getNsPerLookups(), "nsPerLookups"), Instant.parse(required(s.getFirstLearnedAt(), "firstLearnedAt")),
                Instant.parse(required(s.getUpdatedAt(), "updatedAt")), required(s.getKernel(), "kernel"));
        if (!b.kernel().equals(kernel)) {
            LOG.info("baseline in {} was learned on kernel {}, this is {}: learning a new one", where, b.kernel(), kernel);
            return Optional.empty();
        }
        return Optional.of(b);
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("field " + field + " missing");
        }
        return value;
    }
}
