package io.dentryguard.demo;

import static io.dentryguard.demo.story.StoryChanges.fields;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.dentryguard.api.v1alpha1.ReclaimRequest;
import io.dentryguard.demo.cluster.ApiChoice;
import io.dentryguard.demo.cluster.EmbeddedApi;
import io.dentryguard.demo.guard.DemoSettings;
import io.dentryguard.demo.guard.GuardProcesses;
import io.dentryguard.demo.host.ByteSize;
import io.dentryguard.demo.host.FloodLimit;
import io.dentryguard.demo.host.HostDentries;
import io.dentryguard.demo.kubelet.PodmanPodRuntime;
import io.dentryguard.demo.kubelet.StandInKubelet;
import io.dentryguard.demo.kubelet.VirtualNodeKubelet;
import io.dentryguard.demo.story.StoryChanges;
import io.dentryguard.demo.story.StoryReader;
import io.dentryguard.demo.story.StorySnapshot;
import io.dentryguard.demo.story.Timeline;
import io.dentryguard.demo.story.TimelineEntry.Event;
import io.dentryguard.demo.story.VictimLoops;
import io.dentryguard.demo.story.VictimLoops.Phase;
import io.dentryguard.demo.workload.DemoNodes;
import io.dentryguard.demo.workload.DemoWorkloads;
import io.dentryguard.demo.workload.StandInController;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The whole story on one machine (issue 13): an embedded API server with this host as a Node and a
 * virtual one; a victim and an offender as real containers in kubelet-style pod cgroups, run by a
 * stand-in kubelet and recreated by a stand-in controller; the real probe and operator; a timeline
 * of what happens, with the victim's loop time beside it. Everything it makes is removed at the end,
 * also on failure or Ctrl-C ({@link #close}).
 */
public final class Demo implements AutoCloseable {
    /** How the demo is told to run. */
    /** The host cannot run the demo (exit 3), with the reason. */
    public static final class HostCannotRunException extends Exception {
        public HostCannotRunException(String reason) {
            super(reason);
        }
    }

    public record Options(boolean json, long floodLimitBytes, long memFreeFloorBytes, ApiChoice api, Duration timeout,
                          Path launcher, Path floodJar, Path containersConf) {}

    /** Loops of the victim, and seconds, that make a baseline and an "after" figure. */
    private static final int WINDOW_LOOPS = 10;
    private static final Duration WINDOW = Duration.ofSeconds(15);
    /** How often the story is looked at, and how often the victim's figure gets a line of its own. */
    private static final Duration LOOK_EVERY = Duration.ofMillis(500);
    private static final Duration VICTIM_LINE_EVERY = Duration.ofSeconds(10);

    private final Options options;
    private final VictimLoops victim = new VictimLoops();
    private final Timeline timeline;
    private final Set<String> ownersWithRemovedPods = new HashSet<>();
    /** What the demo made, closed newest first after {@link #stopTheWorkloads}; see {@link #close}. */
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    /** Closed first, in this order, so that no pod is started or left flooding while the rest is taken down. */
    private StandInController controller;
    private final List<AutoCloseable> kubelets = new java.util.ArrayList<>();
    private PodmanPodRuntime runtime;
    private GuardProcesses guard;
    private Path workDir;
    private boolean closed;
    private volatile boolean completed;
    /** Set by the offender's log when its flood command fails: the story would otherwise wait for a flood that never comes. */
    private volatile String floodFailure;

    public Demo(Options options, PrintStream out) {
        this.options = options;
        this.timeline = new Timeline(out, options.json(), System.nanoTime(), victim::recentMillis);
    }

    /** Runs the story; true when it ended with the node recovered and untainted. */
    public boolean run() throws Exception {
        HostDentries host = new HostDentries();
        HostDentries.Figures atStart = host.read();
        FloodLimit limit = new FloodLimit(options.floodLimitBytes(), options.memFreeFloorBytes());
        Optional<String> noRoom = limit.noRoom(atStart);
        if (noRoom.isPresent()) {
            throw new HostCannotRunException(noRoom.get());
        }
        workDir = own(Files.createTempDirectory("dentry-guard-demo-"));
        timeline.printHeader();

        EmbeddedApi api = own(EmbeddedApi.start(options.api(), workDir));
        String node = DemoNodes.hostNodeName(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
        timeline.emit(Event.STARTED, "API server: " + api.description() + "; look while it runs: kubectl --kubeconfig " + api.kubeconfig()
                + " get nodehealth,nodes,pods -A -o wide", fields("api", api.description(), "kubeconfig", api.kubeconfig().toString(), "node", node,
                "workDir", workDir.toString()));

        DemoNodes.register(api.client(), node, host.kernel().release(), osImage());
        api.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(DemoWorkloads.NAMESPACE).endMetadata().build())
                .create();
        synchronized (this) {
            requireOpen();
            runtime = new PodmanPodRuntime(options.containersConf(), workDir.getFileName().toString());
            kubelets.add(new StandInKubelet(api.client(), node, runtime));
            kubelets.add(new VirtualNodeKubelet(api.client(), DemoNodes.VIRTUAL));
            controller = new StandInController(api.client(), DemoWorkloads.NAMESPACE, List.of(node, DemoNodes.VIRTUAL),
                    (who, e) -> System.err.println("dentry-guard demo: " + who + ": " + e));
            controller.start();
        }

        // The victim first: its tree is in the dentry cache before the baseline is taken.
        api.client().apps().replicaSets().resource(DemoWorkloads.victim()).create();
        Pod victimPod = awaitRunningPod(api, DemoWorkloads.VICTIM, Duration.ofMinutes(2));
        own(runtime.followLogs(victimPod.getMetadata().getUid(), line -> DemoWorkloads.loopMillis(line).ifPresent(victim::add)));
        awaitCondition("the victim's first loops", Duration.ofMinutes(2), () -> victim.count(Phase.STARTING) >= 3);

        HostDentries.Figures before = host.read();
        DemoSettings settings = new DemoSettings(host.hashBuckets(), before.totalDentries(), limit.limitDentries(before.dentryObjectBytes()),
                DENTRIES_PER_NAME);
        startGuard(api, node, settings);
        StoryReader reader = new StoryReader(api.client(), node, DemoWorkloads.NAMESPACE);
        NodeHealthStatus[] reported = new NodeHealthStatus[1];
        awaitCondition("the probe's first report and the operator's first decision", Duration.ofMinutes(2), () -> {
            requireRunning(guard);
            NodeHealth nh = api.client().resources(NodeHealth.class).withName(node).get();
            reported[0] = nh == null ? null : nh.getStatus();
            // The probe writes the verdict, the operator the conditions.
            return reported[0] != null && reported[0].getVerdict() != null && !reported[0].getConditions().isEmpty();
        });
        requireReclaimScopes(reported[0]);

        victim.enter(Phase.BEFORE);
        double baselineStart = timeline.now();
        awaitCondition("the victim's baseline loops", Duration.ofMinutes(3),
                () -> victim.count(Phase.BEFORE) >= WINDOW_LOOPS && timeline.now() - baselineStart >= WINDOW.toSeconds());
        StorySnapshot start = reader.read();
        timeline.emit(Event.BASELINE, String.format(Locale.ROOT, "before the flood: victim loop %.0f ms (median of %d); %,d dentries, %,d negative,"
                        + " chain %.3f; verdict %s. Thresholds scaled to the flood limit %s: Warning at chain %.3f, Degraded at %.3f",
                victim.percentile(Phase.BEFORE, 50), victim.count(Phase.BEFORE), before.totalDentries(), before.negativeDentries(),
                before.totalDentries() / (double) settings.hashBuckets(), start.verdict(), ByteSize.format(options.floodLimitBytes()),
                settings.warningChain(), settings.degradedChain()),
                fields("victimLoopMedianMs", victim.percentile(Phase.BEFORE, 50), "dentries", before.totalDentries(),
                        "negativeDentries", before.negativeDentries(), "hashBuckets", settings.hashBuckets(), "warningChain", settings.warningChain(),
                        "degradedChain", settings.degradedChain(), "floodLimitBytes", options.floodLimitBytes(),
                        "memFreeFloorBytes", options.memFreeFloorBytes()));

        // Far more names than the story needs (about 20 times its limit, 1,000 s at its pace): the flood goes on until the
        // ladder evicts it or the limit freezes it, never ends early on a slow machine.
        long names = 20 * Math.round(settings.limitDentries() / DENTRIES_PER_NAME);
        api.client().apps().replicaSets().resource(DemoWorkloads.offender(options.floodJar().toString(), names, settings.floodNamesPerSecond()))
                .create();
        Pod offenderPod = awaitRunningPod(api, DemoWorkloads.OFFENDER, Duration.ofMinutes(2));
        own(runtime.followLogs(offenderPod.getMetadata().getUid(), line -> {
            if (line.startsWith(DemoWorkloads.FLOOD_FAILED)) {
                floodFailure = line;
            }
        }));
        victim.enter(Phase.DURING);
        timeline.emit(Event.FLOOD_STARTED, String.format(Locale.ROOT, "%s/%s on %s looks up random missing names in %s of its image, %,d a second",
                DemoWorkloads.NAMESPACE, offenderPod.getMetadata().getName(), node, DemoWorkloads.FLOODED_DIRECTORY, settings.floodNamesPerSecond()),
                fields("pod", DemoWorkloads.NAMESPACE + "/" + offenderPod.getMetadata().getName(), "directory", DemoWorkloads.FLOODED_DIRECTORY,
                        "namesPerSecond", settings.floodNamesPerSecond(), "names", names));

        completed = followTheStory(host, reader, start, before.dentrySlabBytes(), limit, offenderPod.getMetadata().getUid(), node);
        return completed;
    }

    /** Looks every half second until the node is untainted after its recovery and the victim's "after" loops are in. */
    private boolean followTheStory(HostDentries host, StoryReader reader, StorySnapshot start, long slabBefore, FloodLimit limit,
                                   String offenderUid, String node) throws Exception {
        StorySnapshot last = start;
        boolean tainted = false;
        boolean limitReached = false;
        double afterStarted = -1;
        double lastVictimLine = timeline.now();
        long deadline = System.nanoTime() + options.timeout().toNanos();
        while (System.nanoTime() < deadline) {
            requireRunning(guard);
            if (floodFailure != null) {
                throw new IllegalStateException("the offender's flood failed: " + floodFailure);
            }
            HostDentries.Figures figures = host.read();
            Optional<String> reached = limit.reached(figures, slabBefore);
            StorySnapshot now = reader.read();
            if (reached.isPresent() && !limitReached) {
                limitReached = true;
                List<String> frozen = freezeOffenders(now, node);
                timeline.emit(Event.FLOOD_LIMIT_REACHED, reached.get() + ": the offender's container is frozen (podman pause: " + frozen
                                + "); the story cannot complete as told", fields("dentrySlabBytes", figures.dentrySlabBytes(),
                                "memFreeBytes", figures.memFreeBytes(), "frozen", frozen));
            }
            for (StoryChanges.Change c : StoryChanges.between(last, now, ownersWithRemovedPods)) {
                if (c.event() == Event.POD_REMOVED) {
                    ownersWithRemovedPods.add(String.valueOf(c.fields().get("owner")));
                }
                if (c.event() == Event.RECOVERED && victim.phase() == Phase.DURING && !offenderOnHost(now, offenderUid)) {
                    victim.enter(Phase.SETTLING);
                }
                timeline.emit(c.event(), c.message(), c.fields());
                tainted |= c.event() == Event.TAINT_ADDED;
                if (c.event() == Event.TAINT_REMOVED && tainted && "Healthy".equals(now.verdict())) {
                    victim.enter(Phase.AFTER);
                    afterStarted = timeline.now();
                }
            }
            last = now;
            if (timeline.now() - lastVictimLine >= VICTIM_LINE_EVERY.toSeconds()) {
                lastVictimLine = timeline.now();
                timeline.emit(Event.VICTIM, String.format(Locale.ROOT, "victim loop %s; node: %,d negative dentries, %s of dentry slab",
                        millis(victim.recentMillis()), figures.negativeDentries(), ByteSize.format(figures.dentrySlabBytes())),
                        fields("negativeDentries", figures.negativeDentries(), "dentrySlabBytes", figures.dentrySlabBytes(), "phase",
                                victim.phase().name().toLowerCase(Locale.ROOT)));
            }
            victim.atHeight("Degraded".equals(now.verdict()) || "Critical".equals(now.verdict()));
            if (afterStarted >= 0 && victim.count(Phase.AFTER) >= WINDOW_LOOPS && timeline.now() - afterStarted >= WINDOW.toSeconds()) {
                // Complete only as the product told it: the ladder, not the demo's own limit, ended the flood.
                boolean complete = !limitReached && timeline.entries().stream().anyMatch(e -> e.event() == Event.EVICTED);
                summary(complete);
                return complete;
            }
            TimeUnit.MILLISECONDS.sleep(LOOK_EVERY.toMillis()); // the demo's pace of looking, not a synchronisation
        }
        timeline.emit(Event.FAILED, "the story did not end within " + options.timeout().toSeconds() + " s (the node is " + last.verdict()
                + (last.tainted() ? ", tainted" : ", untainted") + "); the ends of the probe's and operator's logs follow on stderr",
                fields("verdict", last.verdict(), "tainted", last.tainted()));
        summary(false);
        return false;
    }

    /**
     * Dentries one name of the offender makes: a lookup through overlayfs leaves one in the overlay and
     * one in the image's layer below (measured: 6M negatives for 3M names, demo/.../kubelet/package-info.java).
     */
    static final double DENTRIES_PER_NAME = 2.0;

    /** Whether the first offender pod is still in the API (bound to this host, where it was started). */
    private static boolean offenderOnHost(StorySnapshot s, String offenderUid) {
        return s.pods().stream().anyMatch(p -> p.uid().equals(offenderUid) && !p.deleting());
    }

    /** Pauses every offender pod's container on this host; one already gone is no failure. Returns the pods frozen. */
    private List<String> freezeOffenders(StorySnapshot s, String node) {
        List<String> frozen = new java.util.ArrayList<>();
        for (StorySnapshot.PodView p : s.pods()) {
            if (p.name().startsWith(DemoWorkloads.OFFENDER + "-") && node.equals(p.node()) && runtime.isRunning(p.uid())) {
                try {
                    runtime.pause(p.uid());
                    frozen.add(p.name());
                } catch (RuntimeException e) {
                    System.err.println("dentry-guard demo: could not pause " + p.name() + ": " + e.getMessage());
                }
            }
        }
        return frozen;
    }

    /** The probe must be able to do both reclaims, or the ladder holds and the story waits for nothing. */
    private static void requireReclaimScopes(NodeHealthStatus status) {
        if (!status.getReclaimScopes().containsAll(List.of(ReclaimRequest.Scope.POD, ReclaimRequest.Scope.NODE))) {
            throw new IllegalStateException("the probe cannot reclaim pods and the node here (it can: " + status.getReclaimScopes() + "): "
                    + status.getReclaimLimits());
        }
    }

    private void summary(boolean complete) {
        Double before = victim.percentile(Phase.BEFORE, 50);
        Double during = victim.percentile(Phase.DURING, 50);
        Double duringP90 = victim.percentile(Phase.DURING, 90);
        Double atHeight = victim.percentileAtHeight(50);
        Double after = victim.percentile(Phase.AFTER, 50);
        Set<Object> doneIds = timeline.entries().stream().filter(e -> e.event() == Event.RECLAIM_ANSWERED && "Done".equals(e.fields().get("result")))
                .map(e -> e.fields().get("id")).collect(java.util.stream.Collectors.toSet());
        long podReclaims = reclaimsDone(doneIds, "Pod");
        long nodeReclaims = reclaimsDone(doneIds, "Node");
        long evictions = timeline.entries().stream().filter(e -> e.event() == Event.EVICTED).count();
        String replacement = timeline.entries().stream().filter(e -> e.event() == Event.REPLACEMENT_PLACED).map(e -> String.valueOf(e.fields().get("node")))
                .findFirst().orElse("none");
        timeline.emit(Event.SUMMARY, String.format(Locale.ROOT, "victim loop: before %s, during the flood %s (90th percentile %s), while"
                        + " the node was Degraded %s (%s of before), after %s (%s of before); reclaims done: %d of the pod, %d node-wide;"
                        + " %d eviction(s), replacement on %s; %s",
                millis(before), millis(during), millis(duringP90), millis(atHeight), ratio(atHeight, before), millis(after), ratio(after, before),
                podReclaims, nodeReclaims, evictions, replacement,
                complete ? "story complete" : "story incomplete"),
                fields("victimBeforeMs", before, "victimDuringMs", during, "victimDuringP90Ms", duringP90, "victimDegradedMs", atHeight,
                        "degradedOverBefore", ratioValue(atHeight, before), "victimAfterMs", after,
                        "duringOverBefore", ratioValue(during, before), "afterOverBefore", ratioValue(after, before), "podReclaimsDone", podReclaims,
                        "nodeReclaimsDone", nodeReclaims,
                        "evictions", evictions, "replacementNode", replacement, "complete", complete));
    }

    /** Requests of {@code scope} whose answer was Done. */
    private long reclaimsDone(Set<Object> doneIds, String scope) {
        return timeline.entries().stream().filter(e -> e.event() == Event.RECLAIM_REQUESTED && scope.equals(e.fields().get("scope"))
                && doneIds.contains(e.fields().get("id"))).count();
    }

    private void startGuard(EmbeddedApi api, String node, DemoSettings settings) throws IOException {
        Path probeConfig = Files.writeString(workDir.resolve("probe.properties"), settings.probeConfig());
        Path operatorConfig = Files.writeString(workDir.resolve("operator.properties"), settings.operatorConfig("default"));
        Path state = Files.createDirectories(workDir.resolve("probe-state"));
        synchronized (this) {
            requireOpen();
            guard = new GuardProcesses(options.launcher(), workDir, api.kubeconfig());
            guard.start("operator", List.of("--config", operatorConfig.toString()));
            guard.start("probe", settings.probeArguments(node, probeConfig.toString(), state.toString()));
        }
    }

    private static Pod awaitRunningPod(EmbeddedApi api, String app, Duration within) throws Exception {
        Pod[] found = new Pod[1];
        awaitCondition("a running " + app + " pod", within, () -> {
            List<Pod> pods = api.client().pods().inNamespace(DemoWorkloads.NAMESPACE).withLabel("app", app).list().getItems();
            Optional<Pod> failed = pods.stream().filter(p -> p.getStatus() != null && "Failed".equals(p.getStatus().getPhase())).findFirst();
            if (failed.isPresent()) {
                throw new IllegalStateException("the " + app + " pod " + failed.get().getMetadata().getName() + " could not start: "
                        + failed.get().getStatus().getMessage());
            }
            found[0] = pods.stream().filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    /** Waits for {@code done}, looking every half second; a clear error when it does not come in time. */
    private static void awaitCondition(String what, Duration within, CheckedCondition done) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!done.test()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + what + " after " + within.toSeconds() + " s");
            }
            TimeUnit.MILLISECONDS.sleep(LOOK_EVERY.toMillis()); // polling a process and a server, not synchronising threads
        }
    }

    @FunctionalInterface
    private interface CheckedCondition {
        boolean test() throws Exception;
    }

    private static void requireRunning(GuardProcesses guard) {
        try {
            guard.requireRunning();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String osImage() {
        try {
            return Files.readAllLines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("PRETTY_NAME=")).findFirst()
                    .map(l -> l.substring("PRETTY_NAME=".length()).replace("\"", "")).orElse("Linux");
        } catch (IOException e) {
            return "Linux";
        }
    }

    private static String millis(Double ms) {
        return ms == null ? "?" : String.format(Locale.ROOT, "%.0f ms", ms);
    }

    private static Double ratioValue(Double a, Double b) {
        return a == null || b == null || b == 0 ? null : Math.round(a / b * 100) / 100.0;
    }

    private static String ratio(Double a, Double b) {
        Double r = ratioValue(a, b);
        return r == null ? "?" : String.format(Locale.ROOT, "%.2fx", r);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Takes on {@code resource}: closed by {@link #close}; closed at once, and the demo stopped, when that has already run (Ctrl-C). */
    private synchronized <T> T own(T resource) {
        if (closed) {
            closeQuietly(resource);
            throw new IllegalStateException("stopped");
        }
        toClose.push(resource instanceof Path dir ? (AutoCloseable) () -> deleteTree(dir) : (AutoCloseable) resource);
        return resource;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("stopped");
        }
    }

    /** Whether {@link #close} has run (or runs now): a failure seen after it is the clean-up's doing, not the story's. */
    public synchronized boolean closed() {
        return closed;
    }

    /**
     * Removes everything the demo made, also on failure or Ctrl-C (from the shutdown hook): first what
     * makes and runs pods (the controller, the kubelets, then the runtime: every container of this run
     * removed and its pod cgroups emptied, so the flood stops before anything else), then the rest
     * newest first (log followers, the probe and operator, the API server, the directory). When the
     * story did not complete, the ends of the probe's and operator's logs go to stderr before their
     * directory does. Each step is tried even when an earlier one fails.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        System.err.println("dentry-guard demo: removing what it made (containers, pod cgroups, processes" + (workDir == null ? ""
                : ", " + workDir) + ")...");
        closeQuietly(controller);
        kubelets.forEach(Demo::closeQuietly);
        closeQuietly(runtime);
        if (guard != null && !completed) {
            for (String program : List.of("probe", "operator")) {
                try {
                    System.err.println("dentry-guard demo: the end of the " + program + "'s log:\n" + GuardProcesses.tail(guard.log(program), 15));
                } catch (IOException e) {
                    System.err.println("dentry-guard demo: the " + program + "'s log did not read: " + e);
                }
            }
        }
        closeQuietly(guard);
        while (!toClose.isEmpty()) {
            closeQuietly(toClose.pop());
        }
    }

    private static void closeQuietly(Object resource) {
        if (!(resource instanceof AutoCloseable c)) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("dentry-guard demo: clean-up: " + c.getClass().getSimpleName() + " failed: " + e);
        }
    }
}
