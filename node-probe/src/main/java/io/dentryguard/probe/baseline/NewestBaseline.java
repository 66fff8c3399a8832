package io.dentryguard.probe.baseline;

import io.dentryguard.probe.detector.LookupBaseline;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every home of the baseline as one: loads the newest (a pod's state directory may be fresh while
 * the status is not, or the other way round) and saves to all.
 */
public final class NewestBaseline implements BaselineKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(NewestBaseline.class);

    private final List<BaselineKeeper> keepers;

    public NewestBaseline(List<BaselineKeeper> keepers) {
        this.keepers = List.copyOf(keepers);
    }

    @Override
    public Optional<LookupBaseline> load(String kernel) {
        LookupBaseline newest = null;
        BaselineKeeper from = null;
        for (BaselineKeeper k : keepers) {
            Optional<LookupBaseline> b = k.load(kernel);
            if (b.isPresent() && (newest == null || b.get().updatedAt().isAfter(newest.updatedAt()))) {
                newest = b.get();
                from = k;
            }
        }
        if (newest != null) {
            LOG.info("resumed lookup baseline of {} samples from {}", newest.samples(), from.where());
        }
        return Optional.ofNullable(newest);
    }

    /** Saves to every home, even when one fails; the exception names each that failed. */
    @Override
    public void save(LookupBaseline baseline) throws IOException {
        List<String> failures = new ArrayList<>();
        for (BaselineKeeper k : keepers) {
            try {
                k.save(baseline);
            } catch (IOException e) {
                failures.add(k.where() + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new IOException(String.join("; ", failures));
        }
    }

    @Override
    public String where() {
        return keepers.stream().map(BaselineKeeper::where).collect(Collectors.joining(", "));
    }
}
