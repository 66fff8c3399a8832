package io.dentryguard.probe.baseline;

import io.dentryguard.api.v1alpha1.BaselineStatus;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.dentryguard.probe.detector.LookupBaseline;
import io.dentryguard.probe.exporter.nodehealth.NodeHealthClient;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the lookup baseline in this node's NodeHealth status, where a probe whose pod was replaced
 * (and its state directory with it) finds it again. Read once at start; a saved baseline is not
 * written at once but goes along with the exporter's next status write, so it costs no API call of
 * its own.
 */
public final class NodeHealthBaseline implements BaselineKeeper, Supplier<Optional<BaselineStatus>> {
    private static final Logger LOG = LoggerFactory.getLogger(NodeHealthBaseline.class);

    private final NodeHealthClient api;
    // Saved by the sampling thread, read by the exporter's writer thread.
    private final AtomicReference<LookupBaseline> latest = new AtomicReference<>();

    public NodeHealthBaseline(NodeHealthClient api) {
        this.api = api;
    }

    @Override
    public Optional<LookupBaseline> load(String kernel) {
        try {
            Optional<BaselineStatus> kept = api.readStatus().map(NodeHealthStatus::getBaseline);
            return kept.isEmpty() ? Optional.empty() : BaselineFormat.read(kept.get(), kernel, where());
        } catch (RuntimeException e) {
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
            LOG.warn("NodeHealth {}: cannot resume the baseline from its status ({}); learning a new one", api.node(), why);
            return Optional.empty();
        }
    }

    @Override
    public void save(LookupBaseline baseline) {
        latest.set(baseline);
    }

    @Override
    public String where() {
        return "the NodeHealth status";
    }

    /** The baseline the next status write carries, as the status spells it. */
    @Override
    public Optional<BaselineStatus> get() {
        return Optional.ofNullable(latest.get()).map(BaselineFormat::write);
    }
}
