package io.dentryguard.probe.actuator.reclaim;

import io.dentryguard.api.patch.StatusFieldsPatch;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.ReclaimOutcome;
import io.dentryguard.api.v1alpha1.ReclaimRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the NodeHealth of this probe's node as the watch delivers it and answers its
 * {@code spec.reclaim} on one thread of its own, so that a reclaim (a second, or 40 s for a whole
 * node's drop_caches) never delays a sample. Only the latest object waits; the decision is
 * {@link ReclaimDecision}'s, the act {@link CgroupReclaimer}'s.
 */
public final class ReclaimWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReclaimWorker.class);
    private static final int WRITE_ATTEMPTS = 5;

    /** Writes status.reclaimOutcome (and nothing else) of this node's NodeHealth. */
    @FunctionalInterface
    public interface OutcomeWriter {
        void write(ReclaimOutcome outcome, boolean statusExists);
    }

    private final String node;
    private final ReclaimCapabilities capabilities;
    private final Function<String, Optional<Path>> podCgroups;
    private final CgroupReclaimer reclaimer;
    private final OutcomeWriter writer;
    private final Clock clock;
    private final Duration timeout;
    private final Duration firstRetry;
    private final AtomicReference<NodeHealth> pending = new AtomicReference<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "reclaim-worker");
        t.setDaemon(true);
        return t;
    });
    private volatile String lastAnsweredId;

    public ReclaimWorker(String node, ReclaimCapabilities capabilities, Function<String, Optional<Path>> podCgroups,
                         CgroupReclaimer reclaimer, OutcomeWriter writer, Clock clock, Duration timeout, Duration firstRetry) {
        this.node = node;
        this.capabilities = capabilities;
        this.podCgroups = podCgroups;
        this.reclaimer = reclaimer;
        this.writer = writer;
        this.clock = clock;
        this.timeout = timeout;
        this.firstRetry = firstRetry;
    }

    /** Hands over the NodeHealth as last seen; returns at once. */
    public void offer(NodeHealth nh) {
        if (nh != null && pending.getAndSet(nh) == null) {
            thread.execute(this::takeLatest);
        }
    }

    private void takeLatest() {
        NodeHealth nh = pending.getAndSet(null);
        if (nh != null) {
            try {
                handle(nh);
            } catch (RuntimeException e) {
                LOG.warn("reclaim: cannot handle the request in NodeHealth {}: {}", node, e.toString());
            }
        }
    }

    /** Decides, acts and answers for one NodeHealth, on the calling thread; returns what it wrote, if anything. */
    Optional<ReclaimOutcome> handle(NodeHealth nh) {
        ReclaimRequest request = nh.getSpec() == null ? null : nh.getSpec().getReclaim();
        String answered = lastAnsweredId;
        if (answered == null && nh.getStatus() != null && nh.getStatus().getReclaimOutcome() != null) {
            // A restarted probe: what it answered before is in its status.
            answered = nh.getStatus().getReclaimOutcome().getId();
        }
        Optional<Path> cgroup = Optional.empty();
        if (request != null && request.getScope() == ReclaimRequest.Scope.POD && capabilities.allows(ReclaimRequest.Scope.POD)
                && ReclaimDecision.isPodUid(request.getPodUid()) && !java.util.Objects.equals(request.getId(), answered)) {
            cgroup = podCgroups.apply(request.getPodUid());
        }
        ReclaimDecision.Decision d = ReclaimDecision.decide(request, new ReclaimDecision.Context(nh.getMetadata().getName(), node,
                capabilities, answered, clock.instant(), timeout, cgroup));
        ReclaimOutcome outcome;
        if (d instanceof ReclaimDecision.Ignore ignore) {
            LOG.debug("reclaim: {}", ignore.why());
            return Optional.empty();
        } else if (d instanceof ReclaimDecision.Refuse refuse) {
            LOG.info("reclaim: refused request {}: {}", refuse.id(), refuse.reason());
            outcome = refuse.outcome(clock.instant());
        } else {
            ReclaimDecision.Perform p = (ReclaimDecision.Perform) d;
            LOG.info("reclaim: request {}: reclaiming scope {}{}", p.id(), p.scope().displayName(),
                    p.cgroup() == null ? "" : " " + p.cgroup() + " (pod " + request.getPodNamespace() + "/" + request.getPodName() + ")");
            outcome = reclaimer.reclaim(p);
            LOG.info("reclaim: request {}: {}: {}", p.id(), outcome.getResult().displayName(), outcome.getMessage());
        }
        lastAnsweredId = outcome.getId();
        write(outcome, StatusFieldsPatch.exists(nh));
        return Optional.of(outcome);
    }

    private void write(ReclaimOutcome outcome, boolean statusExists) {
        Duration wait = firstRetry;
        for (int attempt = 1; ; attempt++) {
            try {
                writer.write(outcome, statusExists);
                return;
            } catch (RuntimeException e) {
                if (attempt == WRITE_ATTEMPTS) {
                    LOG.warn("reclaim: cannot write the answer to request {} after {} attempts: {}", outcome.getId(), attempt, e.toString());
                    return;
                }
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                wait = wait.multipliedBy(2);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(10, TimeUnit.SECONDS);
    }
}
