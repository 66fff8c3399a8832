package io.dentryguard.operator.reconcile;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.apply.EventWriter;
import io.dentryguard.operator.apply.NodeReader;
import io.dentryguard.operator.apply.NodeWriter;
import io.dentryguard.operator.apply.OperatorStatus;
import io.dentryguard.operator.apply.StatusWriter;
import io.dentryguard.operator.decide.Decision;
import io.dentryguard.operator.decide.NodeDecision;
import io.dentryguard.operator.decide.Policy;
import io.dentryguard.operator.decide.Situation;
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
    private InformerEventSource<Node, NodeHealth> nodes;
    private IndexedResourceCache<NodeHealth> primaries;
    private TaintLedger ledger;

    public NodeHealthReconciler(KubernetesClient client, Policy policy, Clock clock, Duration resync, String eventNamespace,
                                OperatorMetrics metrics) {
        this.client = client;
        this.policy = policy;
        this.clock = clock;
        this.resync = resync;
        this.metrics = metrics;
        this.nodeWriter = new NodeWriter(client);
        this.statusWriter = new StatusWriter(client);
        this.events = new EventWriter(client, eventNamespace);
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
                        NodeReader.time(nh.getStatus() == null ? null : nh.getStatus().getLastReportTime()), policy, clock.instant()))
                .collect(Collectors.groupingBy(Function.identity(), () -> new EnumMap<>(Verdict.class), Collectors.counting())));
        return List.of(nodes, wakeUps);
    }

    @Override
    public UpdateControl<NodeHealth> reconcile(NodeHealth given, Context<NodeHealth> context) {
        String name = given.getMetadata().getName();
        // The informer's own copy, only read: JOSDK hands over a clone made through JSON, which has
        // lost the names of the fields that did not read, so the clone would look like a change.
        NodeHealth cached = primaries.get(new ResourceID(name)).orElse(given);
        Plan plan = plan(cached, nodes.get(new ResourceID(name)).orElse(null), clock.instant());
        if (!plan.changesAnything()) {
            return reschedule(plan.decision().requeueAfter());
        }
        // The caches can lag the operator's own last writes (and the probe's): decide again on fresh
        // reads before writing anything, so a lagging cache never causes a write.
        NodeHealth nh = client.resources(NodeHealth.class).withName(name).get();
        if (nh == null) {
            return UpdateControl.noUpdate();
        }
        Node node = client.nodes().withName(name).get();
        Plan fresh = plan(nh, node, clock.instant());
        if (fresh.addsTaint()) {
            // Count and write under the ledger's lock, or parallel reconciles pass the ceiling together.
            synchronized (ledger) {
                fresh = plan(nh, node, clock.instant());
                apply(fresh);
            }
        } else {
            apply(fresh);
        }
        return reschedule(fresh.decision().requeueAfter());
    }

    private UpdateControl<NodeHealth> reschedule(Optional<Duration> requeue) {
        Duration next = requeue.filter(d -> d.compareTo(resync) < 0).map(d -> d.plusMillis(1)).orElse(resync);
        return UpdateControl.<NodeHealth>noUpdate().rescheduleAfter(next);
    }

    private Plan plan(NodeHealth nh, Node node, Instant now) {
        TaintLedger.Count count = ledger.count();
        Situation situation = NodeReader.situation(nh, node, count.nodes(), count.tainted());
        Decision decision = NodeDecision.decide(situation, policy, now);
        OperatorStatus have = OperatorStatus.of(nh.getStatus());
        return new Plan(nh, node, situation, decision, have, have.after(decision, nh, now), now);
    }

    private void apply(Plan p) {
        String name = p.nodeHealth().getMetadata().getName();
        Node updated = nodeWriter.applyTaint(p.node(), p.situation(), p.decision());
        if (updated != p.node()) {
            ledger.written(name, p.decision().taint().isPresent());
            metrics.action(p.decision().taint().isEmpty() ? "remove_taint" : p.situation().ourTaint().isEmpty() ? "add_taint"
                    : "change_taint", false);
            LOG.info("node {}: {}", name, String.join(", ", p.decision().intendedActions()));
            if (p.decision().taint().isEmpty()) {
                wakeNodesHeldBackByTheCeiling();
            }
        }
        nodeWriter.applyCondition(updated, p.situation(), p.decision());
        if (policy.dryRun() && !p.decision().intendedActions().isEmpty()) {
            p.decision().intendedActions().forEach(a -> metrics.action(a.substring(0, a.indexOf(' ')) + "_taint", true));
            LOG.info("node {}: dry-run, not done: {}", name, String.join(", ", p.decision().intendedActions()));
        }
        if (p.want().skipReason() != null && !p.want().skipReason().equals(p.have().skipReason())) {
            metrics.skipped(p.want().skipReason());
            LOG.info("node {}: {}: {}", name, p.want().skipReason(), p.decision().skipMessage());
        }
        // Events before the status: should the status write fail, the retry announces again rather
        // than never (the taint, already applied, would no longer count as a change).
        for (Decision.Event e : p.decision().events()) {
            events.emit(updated, p.nodeHealth(), e, p.now());
        }
        statusWriter.write(p.nodeHealth(), p.have(), p.want());
    }

    /** A slot under the ceiling is free: the nodes waiting for one need not wait for the next resync. */
    private void wakeNodesHeldBackByTheCeiling() {
        primaries.list().filter(nh -> nh.getStatus() != null && "TaintCeilingReached".equals(nh.getStatus().getSkipReason()))
                .forEach(nh -> wakeUps.wake(nh.getMetadata().getName()));
    }

    private record Plan(NodeHealth nodeHealth, Node node, Situation situation, Decision decision, OperatorStatus have,
                        OperatorStatus want, Instant now) {
        boolean changesAnything() {
            return NodeWriter.changesNode(situation, decision) || !have.equals(want) || !decision.events().isEmpty();
        }

        boolean addsTaint() {
            return situation.ourTaint().isEmpty() && decision.taint().isPresent();
        }
    }
}
