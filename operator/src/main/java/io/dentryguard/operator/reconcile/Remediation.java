package io.dentryguard.operator.reconcile;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.OffenderStatus;
import io.dentryguard.api.v1alpha1.RemediationStatus;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.apply.EventWriter;
import io.dentryguard.operator.apply.LadderWriter;
import io.dentryguard.operator.apply.PodEvictor;
import io.dentryguard.operator.metrics.OperatorMetrics;
import io.dentryguard.operator.decide.Situation;
import io.dentryguard.operator.decide.remediation.EvictionGuard;
import io.dentryguard.operator.decide.remediation.Ladder;
import io.dentryguard.operator.decide.remediation.LadderSituation;
import io.dentryguard.operator.decide.remediation.LadderState;
import io.dentryguard.operator.decide.remediation.LadderTimings;
import io.dentryguard.operator.decide.remediation.PodFacts;
import io.dentryguard.operator.decide.remediation.RemediationPolicy;
import io.dentryguard.operator.observe.LadderReader;
import io.dentryguard.operator.observe.PodFactsReader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile's walk of the ladder for a node: observe (the NodeHealth, the offender's pod), decide
 * ({@link Ladder}, pure), act (the request to the probe, the eviction, status.remediation).
 */
final class Remediation {
    private static final Logger LOG = LoggerFactory.getLogger(Remediation.class);
    /** How soon a node on the ladder is looked at again: an answer from the probe arrives as a status change anyway. */
    private static final Duration ON_THE_LADDER = Duration.ofSeconds(15);

    private final KubernetesClient client;
    private final RemediationPolicy policy;
    private final LadderTimings timings;
    private final boolean dryRun;
    private final LadderWriter writer;
    private final PodEvictor evictor;
    private final Supplier<Stream<NodeHealth>> allNodeHealths;
    private final EventWriter events;
    private final OperatorMetrics metrics;
    /**
     * The evictions this operator made, newest last (the last day's): counted with those recorded on the
     * NodeHealths, whose cache may not show one made a moment ago by a reconcile of another node.
     */
    private final java.util.Deque<Eviction> made = new java.util.ArrayDeque<>();

    private record Eviction(String node, String workload, Instant at) {}

    Remediation(KubernetesClient client, RemediationPolicy policy, LadderTimings timings, boolean dryRun,
                Supplier<Stream<NodeHealth>> allNodeHealths, EventWriter events, OperatorMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
        this.client = client;
        this.policy = policy;
        this.timings = timings;
        this.dryRun = dryRun;
        this.writer = new LadderWriter(client);
        this.evictor = new PodEvictor(client);
        this.allNodeHealths = allNodeHealths;
    }

    /**
     * @param effective the node's verdict as the operator judges it (Unknown when the report is stale)
     * @return when to look again, empty when the node is off the ladder
     */
    Optional<Duration> act(NodeHealth nh, Situation s, Verdict effective, Instant now) {
        if (!policy.anyRungOn() || s.paused() || s.optedOut()) {
            // Paused or opted out: nothing is done, and the ladder's state stays as it was for when it is resumed.
            return Optional.empty();
        }
        boolean flooded = (effective == Verdict.DEGRADED || effective == Verdict.CRITICAL) && s.nodeExists();
        boolean strained = (flooded || effective == Verdict.WARNING) && s.nodeExists();
        LadderState recorded = LadderReader.state(nh.getStatus() == null ? null : nh.getStatus().getRemediation());
        if (!strained && recorded == null) {
            return Optional.empty();
        }
        if (recorded != null && (effective == Verdict.UNKNOWN || !s.nodeExists())) {
            // A stale report or no Node is no recovery: the ladder waits where it is for a report it can judge.
            return Optional.of(ON_THE_LADDER);
        }
        String node = nh.getMetadata().getName();
        // The offender's pod and the evictions so far matter only once the pod has had a reclaim answered: the eviction
        // may come next. Before that, no reconcile reads the pod or scans every NodeHealth.
        boolean evictionNear = recorded != null && recorded.reclaims() >= 1 && recorded.evictedAt() == null;
        LadderSituation situation = situation(nh, effective, flooded && evictionNear);
        EvictionGuard.History history = evictionNear ? LadderReader.history(allNodeHealths.get(), node) : EvictionGuard.History.none();
        Ladder.Step step = Ladder.decide(situation, policy, timings, history, now);
        if (step.action() == Ladder.Action.EVICT || step.action() == Ladder.Action.REQUEST_POD_RECLAIM
                || step.action() == Ladder.Action.REQUEST_NODE_RECLAIM) {
            // Acting: decide again on the NodeHealth as stored now, not on the cache, so that no request or
            // eviction is made twice from a copy that has not yet seen the last one.
            NodeHealth fresh = client.resources(NodeHealth.class).withName(node).get();
            if (fresh == null) {
                return Optional.empty();
            }
            nh = fresh;
            situation = situation(nh, effective, flooded && evictionNear);
            step = Ladder.decide(situation, policy, timings, history, now);
        }
        LadderState next = step.next();
        String message = step.message();
        Ladder.Action action = step.action();
        RemediationStatus before = nh.getStatus() == null ? null : nh.getStatus().getRemediation();
        switch (step.action()) {
            case REQUEST_POD_RECLAIM, REQUEST_NODE_RECLAIM -> {
                if (dryRun) {
                    message = "dry-run, not asked: " + message;
                    next = situation.recorded() == null ? LadderState.start(now) : situation.recorded();
                } else {
                    // Recorded first: should the request's write fail, the record times out and asks again,
                    // where a request made but not recorded would never be counted or timed out.
                    writer.status(nh, status(step.action(), message, next, null, nh, now));
                    writer.request(node, step.request());
                    nh = client.resources(NodeHealth.class).withName(node).get();
                    if (nh == null) {
                        return Optional.empty();
                    }
                }
            }
            case EVICT -> {
                Optional<Pod> pod = Optional.ofNullable(client.pods().inNamespace(step.evict().namespace()).withName(step.evict().name()).get());
                PodEvictor.Result r;
                Optional<String> refusal;
                // Judged again and evicted under one lock, with the evictions made a moment ago by other
                // reconciles counted: two nodes must not both pass a limit or a workload's cooldown.
                synchronized (made) {
                    refusal = EvictionGuard.refusal(step.evict(), situation.offender().getConfidence(), policy,
                            withMade(history, node, now), now);
                    r = refusal.isPresent() ? null
                            : pod.filter(p -> p.getMetadata().getDeletionTimestamp() != null).isPresent()
                            ? PodEvictor.Result.EVICTED // already being deleted: evicted before, its record lost; recorded now
                            : evictor.evict(step.evict(), dryRun);
                    if (r == PodEvictor.Result.EVICTED && !dryRun) {
                        made.addLast(new Eviction(node, step.evict().workload(), now));
                    }
                }
                if (refusal.isPresent()) {
                    message = "not evicting " + step.evict().displayName() + ": " + refusal.get();
                    next = situation.recorded();
                    action = Ladder.Action.HOLD;
                    break;
                }
                if (r == PodEvictor.Result.EVICTED && !dryRun) {
                    // A repeat offender: said on the pod and on its workload, where their owners look.
                    String text = "evicted by dentry-guard from node " + node + ": " + step.message();
                    pod.ifPresent(p -> {
                        events.emit(EventWriter.about(p), true, "RepeatOffenderEvicted", text, now);
                        PodFactsReader.workloadOwner(p, this::replicaSet).ifPresent(o -> events.emit(
                                EventWriter.about(o, p.getMetadata().getNamespace()), true, "RepeatOffenderEvicted", text, now));
                    });
                }
                if (dryRun) {
                    message = "dry-run (the server says " + r + "): " + message;
                    next = situation.recorded();
                } else if (r == PodEvictor.Result.REFUSED_BY_BUDGET) {
                    // Not a failure: the budget allows no disruption now. Recorded, and tried again at the next look.
                    message = "eviction refused by a PodDisruptionBudget (429), will try again: " + message;
                    next = situation.recorded();
                    action = Ladder.Action.HOLD;
                } else if (r == PodEvictor.Result.GONE) {
                    message = "the pod is gone already, nothing to evict: " + message;
                    next = situation.recorded();
                    action = Ladder.Action.HOLD;
                }
            }
            default -> { }
        }
        RemediationStatus want = status(action, message, next, step.evict(), nh, now);
        boolean requested = action == Ladder.Action.REQUEST_POD_RECLAIM || action == Ladder.Action.REQUEST_NODE_RECLAIM;
        if ((writer.status(nh, want) || requested && !dryRun) && action != Ladder.Action.NONE) {
            LOG.info("node {}: {}: {}", node, stepName(action), message);
            // One Event per step taken; a Hold or Wait repeated with the same reason and new figures is not news.
            boolean repeated = !requested && before != null && stepName(action).equals(before.getStep())
                    && firstWords(message).equals(firstWords(before.getMessage()));
            if (action != Ladder.Action.WAIT && !repeated) {
                metrics.remediationStep(action.name().toLowerCase(java.util.Locale.ROOT), dryRun);
                events.emit(EventWriter.about(nh), action == Ladder.Action.HOLD, "Remediation" + stepName(action), message, now);
            }
        }
        return next == null ? Optional.empty() : Optional.of(ON_THE_LADDER);
    }

    /** @param withPod whether to read the offender's pod from the API (only when an eviction may follow) */
    private LadderSituation situation(NodeHealth nh, Verdict effective, boolean withPod) {
        return LadderReader.situation(nh, effective, withPod ? offenderPod(LadderReader.topOffender(nh)) : null);
    }

    /** The offender's pod as the API has it, if the offender is a pod that still exists with the same UID. */
    private PodFacts offenderPod(OffenderStatus offender) {
        if (offender == null || offender.getPodUid() == null || offender.getPodNamespace() == null || offender.getPodName() == null) {
            return null;
        }
        Pod pod = client.pods().inNamespace(offender.getPodNamespace()).withName(offender.getPodName()).get();
        if (pod == null || !offender.getPodUid().equals(pod.getMetadata().getUid())) {
            return null;
        }
        return PodFactsReader.facts(pod, this::replicaSet);
    }

    private Optional<HasMetadata> replicaSet(String namespace, String name) {
        return Optional.ofNullable(client.apps().replicaSets().inNamespace(namespace).withName(name).get());
    }

    private static RemediationStatus status(Ladder.Action action, String message, LadderState next, PodFacts evicted, NodeHealth nh,
                                            Instant now) {
        RemediationStatus before = nh.getStatus() == null ? null : nh.getStatus().getRemediation();
        if (next == null) {
            if (before == null || before.getEvictedAt() == null && before.getNodeReclaimAt() == null) {
                return null;
            }
            // Off the ladder, but the last eviction and node-wide reclaim stay recorded: the workload's cooldown, the
            // rate limits and the node-wide rung's interval count them across episodes.
            RemediationStatus kept = new RemediationStatus();
            kept.setStep(stepName(action));
            kept.setMessage(message);
            kept.setEvictedAt(before.getEvictedAt());
            kept.setEvictedWorkload(before.getEvictedWorkload());
            kept.setNodeReclaimAt(before.getNodeReclaimAt());
            return kept;
        }
        RemediationStatus r = new RemediationStatus();
        r.setStep(stepName(action));
        r.setMessage(message);
        r.setSince(next.since().toString());
        r.setPodUid(next.podUid());
        r.setPod(next.pod());
        r.setReclaims(next.reclaims());
        r.setLastDoneRequestId(next.lastDoneId());
        r.setLastRequestId(next.lastRequestId());
        r.setLastRequestAt(next.lastRequestAt() == null ? null : next.lastRequestAt().toString());
        r.setNodeReclaimAt(next.nodeReclaimAt() == null ? null : next.nodeReclaimAt().toString());
        if (next.evictedAt() != null) {
            r.setEvictedAt(next.evictedAt().toString());
            r.setEvictedWorkload(evicted != null ? evicted.workload() : before == null ? null : before.getEvictedWorkload());
        } else if (before != null) {
            r.setEvictedAt(before.getEvictedAt());
            r.setEvictedWorkload(before.getEvictedWorkload());
        }
        return r;
    }

    /** The recorded history with this operator's own recent evictions added. */
    private EvictionGuard.History withMade(EvictionGuard.History recorded, String node, Instant now) {
        while (!made.isEmpty() && made.peekFirst().at().isBefore(now.minus(Duration.ofDays(1)))) {
            made.removeFirst();
        }
        java.util.Map<String, Instant> byWorkload = new java.util.HashMap<>(recorded.workloadEvictedAt());
        java.util.Set<Instant> onNode = new java.util.TreeSet<>(recorded.nodeEvictions());
        java.util.Set<Instant> all = new java.util.TreeSet<>(recorded.allEvictions());
        for (Eviction e : made) {
            byWorkload.merge(e.workload(), e.at(), (a, b) -> a.isAfter(b) ? a : b);
            all.add(e.at());
            if (e.node().equals(node)) {
                onNode.add(e.at());
            }
        }
        return new EvictionGuard.History(byWorkload, java.util.List.copyOf(onNode), java.util.List.copyOf(all));
    }

    /** A message without its figures: what a Hold is about, for whether it is the same Hold. */
    private static String firstWords(String message) {
        return message == null ? "" : message.replaceAll("[0-9][0-9.,]*", "#");
    }

    private static String stepName(Ladder.Action a) {
        StringBuilder b = new StringBuilder();
        for (String part : a.name().toLowerCase(java.util.Locale.ROOT).split("_")) {
            b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return b.toString();
    }
}
