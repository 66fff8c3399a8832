package io.dentryguard.demo;

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
import static io.dentryguard.demo.story.StoryChanges.fields;
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
    public record Options(boolean json, long floodLimitBytes, long memFreeFloorBytes, ApiChoice api, Duration timeout,
                          Path launcher, Path floodJar, Path containersConf) {}

    /** Loops of the victim, and seconds, that make a baseline and an "after" figure. */
    private static final int WINDOW_LOOPS = 10;
    private static final Duration WINDOW = Duration.ofSeconds(15);
    /** How often the story is looked at, and how often the victim's figure gets a line of its own. */
    private static final Duration LOOK_EVERY = Duration.ofMillis(500);
    private static final Duration VICTIM_LINE_EVERY = Duration.ofSeconds(10);

    private final Options options;
    private final PrintStream out;
    private final VictimLoops victim = new VictimLoops();
    private final Timeline timeline;
    private final Set<String> ownersWithRemovedPods = new HashSet<>();
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private Path workDir;
    private volatile boolean closed;

    public Demo(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.timeline = new Timeline(out, options.json(), System.nanoTime(), victim::recentMillis);
    }

    /** Runs the story; true when it ended with the node recovered and untainted. */
    public boolean run() throws Exception {
        HostDentries host = new HostDentries();
        workDir = Files.createTempDirectory("dentry-guard-demo-");
        toClose.push(() -> deleteTree(workDir));
        timeline.printHeader();

        EmbeddedApi api = EmbeddedApi.start(options.api(), workDir);
        toClose.push(api);
        String node = DemoNodes.hostNodeName(java.net.InetAddress.getLocalHost().getHostName());
        timeline.emit(Event.STARTED, "API server: " + api.description() + "; look while it runs: kubectl --kubeconfig " + api.kubeconfig()
                + " get nodehealth,nodes,pods -A -o wide", fields("api", api.description(), "kubeconfig", api.kubeconfig().toString(), "node", node,
                "workDir", workDir.toString()));

        DemoNodes.register(api.client(), node, host.kernel().release(), osImage());
        api.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(DemoWorkloads.NAMESPACE).endMetadata().build())
                .create();
        PodmanPodRuntime runtime = new PodmanPodRuntime(options.containersConf(), workDir.getFileName().toString());
        toClose.push(runtime);
        toClose.push(new StandInKubelet(api.client(), node, runtime));
        toClose.push(new VirtualNodeKubelet(api.client(), DemoNodes.VIRTUAL));
        StandInController controller = new StandInController(api.client(), DemoWorkloads.NAMESPACE, List.of(node, DemoNodes.VIRTUAL),
                (who, e) -> out.println("# " + who + ": " + e));
        toClose.push(controller);
        controller.start();

        // The victim first: its tree is in the dentry cache before the baseline is taken.
        api.client().apps().replicaSets().resource(DemoWorkloads.victim()).create();
        Pod victimPod = awaitRunningPod(api, DemoWorkloads.VICTIM, Duration.ofMinutes(2));
        toClose.push(runtime.followLogs(victimPod.getMetadata().getUid(), line -> DemoWorkloads.loopMillis(line).ifPresent(victim::add)));
        awaitCondition("the victim's first loops", Duration.ofMinutes(2), () -> victim.count(Phase.STARTING) >= 3);

        HostDentries.Figures before = host.read();
        FloodLimit limit = new FloodLimit(options.floodLimitBytes(), options.memFreeFloorBytes());
        DemoSettings settings = new DemoSettings(host.hashBuckets(), before.totalDentries(), limit.limitDentries(before.dentryObjectBytes()),
                DENTRIES_PER_NAME);
        GuardProcesses guard = startGuard(api, node, settings);
        toClose.push(guard);
        StoryReader reader = new StoryReader(api.client(), node, DemoWorkloads.NAMESPACE);
        awaitCondition("the probe's first report and the operator's first decision (logs: " + workDir + ")", Duration.ofMinutes(2), () -> {
            requireRunning(guard);
            StorySnapshot s = reader.read();
            return s.verdict() != null && operatorDecided(api, node) && logged(guard, "probe", "reclaim: can perform");
        });

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

        long names = 3 * Math.round(settings.limitDentries() / DENTRIES_PER_NAME);
        api.client().apps().replicaSets().resource(DemoWorkloads.offender(options.floodJar().toString(), names, settings.floodNamesPerSecond()))
                .create();
        Pod offenderPod = awaitRunningPod(api, DemoWorkloads.OFFENDER, Duration.ofMinutes(2));
        victim.enter(Phase.DURING);
        timeline.emit(Event.FLOOD_STARTED, String.format(Locale.ROOT, "%s/%s on %s looks up random missing names in %s of its image, %,d a second",
                DemoWorkloads.NAMESPACE, offenderPod.getMetadata().getName(), node, DemoWorkloads.FLOODED_DIRECTORY, settings.floodNamesPerSecond()),
                fields("pod", DemoWorkloads.NAMESPACE + "/" + offenderPod.getMetadata().getName(), "directory", DemoWorkloads.FLOODED_DIRECTORY,
                        "namesPerSecond", settings.floodNamesPerSecond(), "names", names));

        return followTheStory(api, host, runtime, guard, reader, start, limit, offenderPod.getMetadata().getUid());
    }

    /** Looks every half second until the node is untainted after its recovery and the victim's "after" loops are in. */
    private boolean followTheStory(EmbeddedApi api, HostDentries host, PodmanPodRuntime runtime, GuardProcesses guard, StoryReader reader,
                                   StorySnapshot start, FloodLimit limit, String offenderUid) throws Exception {
        StorySnapshot last = start;
        boolean tainted = false;
        boolean paused = false;
        double afterStarted = -1;
        double lastVictimLine = timeline.now();
        long deadline = System.nanoTime() + options.timeout().toNanos();
        while (System.nanoTime() < deadline) {
            requireRunning(guard);
            HostDentries.Figures figures = host.read();
            Optional<String> reached = limit.reached(figures);
            if (reached.isPresent() && !paused && offenderOnHost(last, offenderUid)) {
                runtime.pause(offenderUid);
                paused = true;
                timeline.emit(Event.FLOOD_LIMIT_REACHED, reached.get() + ": the offender's container is frozen (podman pause)",
                        fields("dentrySlabBytes", figures.dentrySlabBytes(), "memFreeBytes", figures.memFreeBytes()));
            }
            StorySnapshot now = reader.read();
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
            if (afterStarted >= 0 && victim.count(Phase.AFTER) >= WINDOW_LOOPS && timeline.now() - afterStarted >= WINDOW.toSeconds()) {
                summary(true);
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(LOOK_EVERY.toMillis()); // the demo's pace of looking, not a synchronisation
        }
        timeline.emit(Event.FAILED, "the story did not end within " + options.timeout().toSeconds() + " s (the node is " + last.verdict()
                + (last.tainted() ? ", tainted" : ", untainted") + "); logs: " + guard.log("probe") + ", " + guard.log("operator"),
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

    private void summary(boolean complete) {
        Double before = victim.percentile(Phase.BEFORE, 50);
        Double during = victim.percentile(Phase.DURING, 50);
        Double duringP90 = victim.percentile(Phase.DURING, 90);
        Double after = victim.percentile(Phase.AFTER, 50);
        Set<Object> doneIds = timeline.entries().stream().filter(e -> e.event() == Event.RECLAIM_ANSWERED && "Done".equals(e.fields().get("result")))
                .map(e -> e.fields().get("id")).collect(java.util.stream.Collectors.toSet());
        long podReclaims = reclaimsDone(doneIds, "Pod");
        long nodeReclaims = reclaimsDone(doneIds, "Node");
        long evictions = timeline.entries().stream().filter(e -> e.event() == Event.EVICTED).count();
        String replacement = timeline.entries().stream().filter(e -> e.event() == Event.REPLACEMENT_PLACED).map(e -> String.valueOf(e.fields().get("node")))
                .findFirst().orElse("none");
        timeline.emit(Event.SUMMARY, String.format(Locale.ROOT, "victim loop: before %s, during the flood %s (90th percentile %s), after %s"
                        + " (%s of before); reclaims done: %d of the pod, %d node-wide; %d eviction(s), replacement on %s; %s",
                millis(before), millis(during), millis(duringP90), millis(after), ratio(after, before), podReclaims, nodeReclaims, evictions,
                replacement,
                complete ? "story complete" : "story incomplete"),
                fields("victimBeforeMs", before, "victimDuringMs", during, "victimDuringP90Ms", duringP90, "victimAfterMs", after,
                        "duringOverBefore", ratioValue(during, before), "afterOverBefore", ratioValue(after, before), "podReclaimsDone", podReclaims,
                        "nodeReclaimsDone", nodeReclaims,
                        "evictions", evictions, "replacementNode", replacement, "complete", complete));
    }

    /** Requests of {@code scope} whose answer was Done. */
    private long reclaimsDone(Set<Object> doneIds, String scope) {
        return timeline.entries().stream().filter(e -> e.event() == Event.RECLAIM_REQUESTED && scope.equals(e.fields().get("scope"))
                && doneIds.contains(e.fields().get("id"))).count();
    }

    private GuardProcesses startGuard(EmbeddedApi api, String node, DemoSettings settings) throws IOException {
        Path probeConfig = Files.writeString(workDir.resolve("probe.properties"), settings.probeConfig());
        Path operatorConfig = Files.writeString(workDir.resolve("operator.properties"), settings.operatorConfig("default"));
        Path state = Files.createDirectories(workDir.resolve("probe-state"));
        GuardProcesses guard = new GuardProcesses(options.launcher(), workDir, api.kubeconfig());
        guard.start("operator", List.of("--config", operatorConfig.toString()));
        guard.start("probe", settings.probeArguments(node, probeConfig.toString(), state.toString()));
        return guard;
    }

    private static boolean operatorDecided(EmbeddedApi api, String node) {
        var nh = api.client().resources(io.dentryguard.api.v1alpha1.NodeHealth.class).withName(node).get();
        return nh != null && nh.getStatus() != null && !nh.getStatus().getConditions().isEmpty();
    }

    private static Pod awaitRunningPod(EmbeddedApi api, String app, Duration within) throws Exception {
        Pod[] found = new Pod[1];
        awaitCondition("a running " + app + " pod", within, () -> {
            found[0] = api.client().pods().inNamespace(DemoWorkloads.NAMESPACE).withLabel("app", app).list().getItems().stream()
                    .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).findFirst().orElse(null);
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

    private static boolean logged(GuardProcesses guard, String program, String text) {
        try {
            return guard.logged(program, text);
        } catch (IOException e) {
            return false;
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

    /**
     * Removes everything the demo made, newest first: the controller and kubelets stop, the containers
     * and pod cgroups go (the runtime frees what the pods' cgroups still hold first), the probe and
     * the operator stop, the API server stops, the directory goes. Each step is tried even when an
     * earlier one fails; what could not be removed is said.
     */
    /** Whether {@link #close} has run (or runs now): a failure seen after it is the clean-up's doing, not the story's. */
    public boolean closed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        System.err.println("dentry-guard demo: removing what it made (containers, pod cgroups, processes, " + workDir + ")...");
        while (!toClose.isEmpty()) {
            AutoCloseable c = toClose.pop();
            try {
                c.close();
            } catch (Exception e) {
                out.println("# clean-up: " + c.getClass().getSimpleName() + " failed: " + e);
            }
        }
    }
}
