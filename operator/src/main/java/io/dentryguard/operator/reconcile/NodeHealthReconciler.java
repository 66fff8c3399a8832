package io.dentryguard.operator.reconcile;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.Rfc3339;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.apply.EventWriter;
import io.dentryguard.operator.apply.NodeWriter;
import io.dentryguard.operator.apply.StatusWriter;
import io.dentryguard.operator.decide.Decision;
import io.dentryguard.operator.decide.NodeDecision;
import io.dentryguard.operator.decide.Policy;
import io.dentryguard.operator.decide.Situation;
import io.dentryguard.operator.decide.TaintChange;
import io.dentryguard.operator.decide.remediation.LadderTimings;
import io.dentryguard.operator.decide.remediation.RemediationPolicy;
import io.dentryguard.operator.observe.FreshRead;
import io.dentryguard.operator.observe.NodeReader;
import io.dentryguard.operator.metrics.OperatorMetrics;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One NodeHealth at a time: decide (a pure function) on the cached NodeHealth and Node, and when
 * something is to change, read both afresh, decide again and apply only the differences. A Node
 * event (a label, a taint removed by hand) triggers its NodeHealth too. Status-only changes trigger
 * a reconcile (the probe writes only status), and every NodeHealth is decided again at least once
 * per resync, so that stale reports and ended hold-downs are noticed without a change.
 */
@ControllerConfiguration(name = NodeHealthReconciler.NAME, generationAwareEventProcessing = false)
public class NodeHealthReconciler implements Reconciler<NodeHealth> {
    public static final String NAME = "nodehealth";
    private static final Logger LOG = LoggerFactory.getLogger(NodeHealthReconciler.class);
    private static final String TAINTED_INDEX = "dentryguard-tainted";
    private static final String TAINTED = "tainted";

    private final KubernetesClient client;
    private final Policy policy;
    private final Clock clock;
    private final Duration resync;
    private final OperatorMetrics metrics;
    private final NodeWriter nodeWriter;
    private final StatusWriter statusWriter;
    private final EventWriter events;
    private final WakeUps wakeUps = new WakeUps();
    private final Remediation remediation;
    private InformerEventSource<Node, NodeHealth> nodes;
    private IndexedResourceCache<NodeHealth> primaries;
    private TaintLedger ledger;

    /** Taints only: every rung of the remediation ladder off. */
    public NodeHealthReconciler(KubernetesClient client, Policy policy, Clock clock, Duration resync, String eventNamespace,
                                OperatorMetrics metrics) {
        this(client, policy, RemediationPolicy.off(), LadderTimings.defaults(), clock, resync, eventNamespace, metrics);
    }

    public NodeHealthReconciler(KubernetesClient client, Policy policy, RemediationPolicy remediationPolicy, LadderTimings ladder,
                                Clock clock, Duration resync, String eventNamespace, OperatorMetrics metrics) {
        this.client = client;
        this.policy = policy;
        this.clock = clock;
        this.resync = resync;
        this.metrics = metrics;
        this.nodeWriter = new NodeWriter(client);
        this.statusWriter = new StatusWriter(client);
        this.events = new EventWriter(client, eventNamespace);
        this.remediation = new Remediation(client, remediationPolicy, ladder, policy.dryRun(), () -> primaries.list(), events, metrics);
    }

    @Override
    public List<EventSource<?, NodeHealth>> prepareEventSources(EventSourceContext<NodeHealth> context) {
        nodes = new InformerEventSource<>(InformerEventSourceConfiguration.from(Node.class, NodeHealth.class)
                .withSecondaryToPrimaryMapper(n -> Set.of(new ResourceID(n.getMetadata().getName())))
                .withItemStore(new NodeCacheTrim())
                .build(), context);
        nodes.addIndexers(Map.of(TAINTED_INDEX, n -> NodeReader.ourTaint(n).isPresent() ? List.of(TAINTED) : List.of()));
        ledger = new TaintLedger(() -> (int) nodes.keys().count(),
                () -> nodes.byIndex(TAINTED_INDEX, TAINTED).stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet()));
        primaries = context.getPrimaryCache();
        metrics.nodesByVerdict(() -> primaries.list()
                .map(nh -> NodeDecision.effectiveVerdict(nh.getStatus() == null ? null : nh.getStatus().getVerdict(),
                        Rfc3339.parse(nh.getStatus() == null ? null : nh.getStatus().getLastReportTime()), policy, clock.instant()))
                .collect(Collectors.groupingBy(Function.identity(), () -> new EnumMap<>(Verdict.class), Collectors.counting())));
        return List.of(nodes, wakeUps);
    }

    @Override
    public UpdateControl<NodeHealth> reconcile(NodeHealth given, Context<NodeHealth> context) {
        String name = given.getMetadata().getName();
        // The informer's own copy, only read: JOSDK hands over a clone made through JSON, which has
        // lost the names of the fields that did not read, so the clone would look like a change.
        NodeHealth cached = primaries.get(new ResourceID(name)).orElse(given);
        Plan plan = plan(cached, nodes.get(new ResourceID(name)).orElse(null));
        if (!plan.decision().changesAnything(plan.situation())) {
            wakeIfASlotIsFreed(plan);
            return reschedule(earliest(plan.decision().requeueAfter(), climbLadder(plan)));
        }
        Optional<FreshRead> fresh = FreshRead.of(client, name);
        if (fresh.isEmpty()) {
            return UpdateControl.noUpdate();
        }
        Plan now = plan(fresh.get().nodeHealth(), fresh.get().node());
        if (now.addsTaint()) {
            // Count and write under the ledger's lock, or parallel reconciles pass the ceiling together.
            synchronized (ledger) {
                now = plan(fresh.get().nodeHealth(), fresh.get().node());
                apply(now);
            }
        } else {
            apply(now);
        }
        wakeIfASlotIsFreed(now);
        return reschedule(earliest(now.decision().requeueAfter(), climbLadder(now)));
    }

    /**
     * The remediation ladder's step for the node, after the taint's: on the NodeHealth as this reconcile read it. A
     * report or spec that does not read is judged as the taint judges it: Unknown, no action (the ladder waits where it is).
     */
    private Optional<Duration> climbLadder(Plan p) {
        Situation s = p.situation();
        Verdict effective = s.reportProblem() != null || s.specProblem() != null ? Verdict.UNKNOWN
                : NodeDecision.effectiveVerdict(s.verdict(), s.lastReport(), policy, p.now());
        return remediation.act(p.nodeHealth(), p.situation(), effective, p.now());
    }

    private static Optional<Duration> earliest(Optional<Duration> a, Optional<Duration> b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : Optional.of(a.get().compareTo(b.get()) <= 0 ? a.get() : b.get());
    }

    private UpdateControl<NodeHealth> reschedule(Optional<Duration> requeue) {
        Duration next = requeue.filter(d -> d.compareTo(resync) < 0).map(d -> d.plusMillis(1)).orElse(resync);
        return UpdateControl.<NodeHealth>noUpdate().rescheduleAfter(next);
    }

    private Plan plan(NodeHealth nh, Node node) {
        TaintLedger.Count count = ledger.count();
        Instant now = clock.instant();
        Situation situation = NodeReader.situation(nh, node, count.nodes(), count.tainted());
        return new Plan(nh, node, situation, NodeDecision.decide(situation, policy, now), now);
    }

    private void apply(Plan p) {
        String name = p.nodeHealth().getMetadata().getName();
        Decision d = p.decision();
        Node updated = nodeWriter.applyTaint(p.node(), p.situation(), d);
        if (updated != p.node()) {
            TaintChange change = d.change().orElseThrow();
            ledger.written(name, d.taint().isPresent());
            metrics.action(change.kind(), false);
            LOG.info("node {}: {}", name, change.recorded(true));
        }
        nodeWriter.applyCondition(updated, p.situation(), d);
        if (!d.done() && d.change().isPresent() && !d.want().intendedActions().equals(p.situation().recorded().intendedActions())) {
            metrics.action(d.change().get().kind(), true);
            LOG.info("node {}: {}", name, d.change().get().recorded(false));
        }
        if (d.skip() != null && d.skip() != p.situation().skipReason()) {
            metrics.skipped(d.skip());
            LOG.info("node {}: {}: {}", name, d.skip().reason(), d.skipMessage());
        }
        // Events before the status: should the status write fail, the retry announces again rather
        // than never (the taint, already applied, would no longer count as a change).
        for (Decision.Event e : d.events()) {
            events.emit(updated, p.nodeHealth(), e, p.now());
        }
        statusWriter.write(p.nodeHealth(), p.situation().recorded(), d.want());
    }

    /**
     * A node that carried the operator's taint no longer does (taken off by the operator or by hand),
     * or its Node is gone: a slot under the ceiling is free, and the nodes waiting for one need not
     * wait for their next resync.
     */
    private void wakeIfASlotIsFreed(Plan p) {
        boolean wasTainted = Boolean.TRUE.equals(p.situation().recorded().tainted());
        if (wasTainted && (!p.situation().nodeExists() || !p.decision().want().tainted())) {
            wakeNodesHeldBackByTheCeiling();
        }
    }

    private void wakeNodesHeldBackByTheCeiling() {
        primaries.list().filter(nh -> nh.getStatus() != null && "TaintCeilingReached".equals(nh.getStatus().getSkipReason()))
                .forEach(nh -> wakeUps.wake(nh.getMetadata().getName()));
    }

    private record Plan(NodeHealth nodeHealth, Node node, Situation situation, Decision decision, Instant now) {
        boolean addsTaint() {
            return decision.change().map(c -> c.kind() == TaintChange.Kind.ADD).orElse(false) && decision.touchesNode();
        }
    }
}
