package io.dentryguard.bench;

import io.dentryguard.api.testing.ApiRequest;
import io.dentryguard.api.testing.MockApiServer;
import io.dentryguard.api.testing.RealApiServer;
import io.dentryguard.api.testing.TestApiServer;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator at the scale of a large cluster, against fabric8's mock API server on loopback: N
 * Nodes with their NodeHealths, then a stream of status changes. The operator runs as its packaged
 * jar in its own JVM (-Xmx256m), as ./dentry-guard operator runs it, so its heap is its own.
 *
 * <p>Prints: the initial sync time (operator start until every Node carries its condition), the
 * time from a status change to the taint being applied or removed (seen by a watch here, so an
 * upper bound), and the operator's heap (used after a full GC), resident set and CPU.
 */
public final class OperatorScaleBenchmark {
    private static final String TAINT = "dentryguard.io/dentry-pressure";
    private static final String CONDITION = "DentryCachePressure";

    private record Change(String node, boolean degraded, long atNanos) {}

    private final Map<String, Change> pending = new ConcurrentHashMap<>();
    private final List<Long> taintLatencies = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Long> untaintLatencies = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Boolean> withCondition = new ConcurrentHashMap<>();
    /** How long the mock API server took to answer the benchmark's own status patches during the changes. */
    private final List<Long> patchLatencies = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger changesMade = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        BenchArguments a = new BenchArguments(args, Set.of("nodes", "changes-per-second", "seconds", "operator-jar", "node-shape", "server"));
        new OperatorScaleBenchmark().run(Integer.parseInt(a.get("nodes", "5000")),
                Integer.parseInt(a.get("changes-per-second", "50")), Integer.parseInt(a.get("seconds", "60")),
                Path.of(a.get("operator-jar", "operator/target/operator-0.1.0-SNAPSHOT-all.jar")), realNodes(a.get("node-shape", "real")),
                a.get("server", "mock"));
    }

    /** "mock": fabric8's mock in this JVM; "real": kube-apiserver and etcd (tools/kube-binaries/build.sh). */
    private static TestApiServer server(String kind) {
        return switch (kind) {
            case "mock" -> new MockApiServer();
            case "real" -> RealApiServer.start();
            default -> throw new IllegalArgumentException("--server is mock or real, not " + kind);
        };
    }

    /** "real": {@link RealisticNode}, about 20 KB of JSON; "small": a name and a Ready condition, as the tests create. */
    private static boolean realNodes(String shape) {
        if (!shape.equals("real") && !shape.equals("small")) {
            throw new IllegalArgumentException("--node-shape is real or small, not " + shape);
        }
        return shape.equals("real");
    }

    private void run(int nodes, int changesPerSecond, int seconds, Path operatorJar, boolean realNodes, String server) throws Exception {
        Path dir = Files.createTempDirectory("operator-bench");
        try (TestApiServer api = server(server)) {
            System.out.printf("API server: %s%n", server.equals("real") ? "kube-apiserver " + RealApiServer.kubernetesVersion() + " and etcd"
                    : "fabric8's mock");
            long setup = System.nanoTime();
            String now = Instant.now().toString();
            var setupPool = Executors.newFixedThreadPool(16);
            List<java.util.concurrent.Future<?>> created = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                String name = name(i);
                Node node = realNodes ? RealisticNode.build(name, i) : MockApiServer.nodeBuilder(name).build();
                created.add(setupPool.submit(() -> {
                    api.client().nodes().resource(node).create();
                    NodeHealth nh = new NodeHealth();
                    nh.getMetadata().setName(name);
                    api.client().resource(nh).create();
                    report(api, name, "Healthy", now);
                }));
            }
            for (var f : created) {
                f.get();
            }
            setupPool.shutdown();
            System.out.printf("set-up: %d Nodes and NodeHealths (Healthy) created in %.1f s%n", nodes, seconds(System.nanoTime() - setup));
            System.out.printf("node shape: %s; one Node as the API server returns it: %,d bytes of JSON%n", realNodes ? "real" : "small",
                    Serialization.asJson(api.client().nodes().withName(name(0)).get()).getBytes(StandardCharsets.UTF_8).length);

            SharedIndexInformer<Node> watch = api.client().nodes().inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Node n) {
                    seen(n);
                }

                @Override
                public void onUpdate(Node old, Node n) {
                    seen(n);
                }

                @Override
                public void onDelete(Node n, boolean unknown) {}
            });

            Path log = dir.resolve("operator.log");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-XX:+ExitOnOutOfMemoryError")); // as the launcher runs it
            // For a profile: OPERATOR_JVM_OPTIONS=-XX:StartFlightRecording=filename=/tmp/operator.jfr
            String extra = System.getenv("OPERATOR_JVM_OPTIONS");
            if (extra != null && !extra.isBlank()) {
                command.addAll(List.of(extra.strip().split("\\s+")));
            }
            command.addAll(List.of("-jar", operatorJar.toString()));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("KUBECONFIG", api.kubeconfig(dir).toString());
            pb.environment().put("DENTRYGUARD_METRICS_PORT", "0");
            // Healthy nodes lose the taint at once, so the run measures both directions without
            // waiting 5 minutes; the ceiling (20% of the nodes) is never approached.
            pb.environment().put("DENTRYGUARD_HOLD_DOWN", "0s");
            int before = api.requests().size();
            long started = System.nanoTime();
            Process operator = pb.start();
            try {
                while (withCondition.size() < nodes) {
                    if (!operator.isAlive() || System.nanoTime() - started > TimeUnit.MINUTES.toNanos(10)) {
                        if (operator.isAlive()) {
                            printProcess("when given up", operator.pid());
                        }
                        throw new IllegalStateException("operator did not sync " + nodes + " nodes: " + withCondition.size()
                                + " done; " + linesWith(log, "OutOfMemoryError") + " OutOfMemoryError lines in its log " + log);
                    }
                    Thread.sleep(50);
                }
                System.out.printf("initial sync: %.1f s from operator start until all %d Nodes carried the %s condition%n",
                        seconds(System.nanoTime() - started), nodes, CONDITION);
                printProcess("after initial sync", operator.pid());
                List<ApiRequest> afterSync = api.requests();
                printRequests("requests during the initial sync", afterSync.subList(before, afterSync.size()));
                printRefused(api, before);
                int beforeChanges = afterSync.size();

                Duration serverCpuBefore = serverCpu();
                long changesStarted = System.nanoTime();
                drive(api, nodes, changesPerSecond, seconds);
                long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (!pending.isEmpty() && System.nanoTime() < drainUntil) {
                    Thread.sleep(50);
                }
                System.out.printf("status changes: %d per second asked for %d s, %d made (%.1f per second)%n", changesPerSecond, seconds,
                        changesMade.get(), changesMade.get() / (double) seconds);
                printLatencies("the API server's answer to one status patch (its load)", patchLatencies);
                printLatencies("change to taint applied", taintLatencies);
                printLatencies("change to taint removed", untaintLatencies);
                System.out.printf("  changes not acted on within 15 s after the run: %d%n", pending.size());
                printProcess("at the end", operator.pid());
                if (api instanceof RealApiServer) {
                    System.out.printf("kube-apiserver and etcd: CPU %.1f s in the %.0f s of the changes and their drain%n",
                            serverCpu().minus(serverCpuBefore).toMillis() / 1000.0, seconds(System.nanoTime() - changesStarted));
                }
                printRequests("requests during the changes (the benchmark's own status patches included)",
                        since(api.requests(), beforeChanges));
                System.out.printf("operator log: %d WARN/ERROR lines (%s)%n", linesWith(log, " WARN ") + linesWith(log, " ERROR "), log);
            } finally {
                operator.destroy();
                operator.waitFor();
                watch.close();
            }
        }
    }

    /** Each second: changesPerSecond/2 nodes turn Degraded, and those that did 10 s earlier turn Healthy again. */
    private void drive(TestApiServer api, int nodes, int changesPerSecond, int seconds) throws InterruptedException {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger tick = new AtomicInteger();
        int perSide = changesPerSecond / 2;
        long periodMicros = 1_000_000L / changesPerSecond;
        int total = changesPerSecond * seconds;
        ticker.scheduleAtFixedRate(() -> {
            int k = tick.getAndIncrement();
            if (k >= total) {
                return;
            }
            int pair = k / 2;
            boolean degrade = k % 2 == 0;
            int index = degrade ? pair : pair - 10 * perSide;
            if (index < 0) {
                return;
            }
            String name = name(index % nodes);
            String verdict = degrade ? "Degraded" : "Healthy";
            long at = System.nanoTime();
            pending.put(name, new Change(name, degrade, at));
            report(api, name, verdict, Instant.now().toString());
            patchLatencies.add(System.nanoTime() - at);
            changesMade.incrementAndGet();
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        Thread.sleep(seconds * 1000L + 100);
        ticker.shutdownNow();
    }

    private static void report(TestApiServer api, String name, String verdict, String at) {
        api.client().resources(NodeHealth.class).withName(name).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\":{\"verdict\":\"" + verdict + "\",\"lastReportTime\":\"" + at + "\"}}");
    }

    private void seen(Node n) {
        String name = n.getMetadata().getName();
        if (n.getStatus() != null && n.getStatus().getConditions() != null
                && n.getStatus().getConditions().stream().anyMatch(c -> CONDITION.equals(c.getType()))) {
            withCondition.put(name, true);
        }
        Change c = pending.get(name);
        if (c == null) {
            return;
        }
        boolean tainted = n.getSpec() != null && n.getSpec().getTaints() != null
                && n.getSpec().getTaints().stream().anyMatch(t -> TAINT.equals(t.getKey()));
        if (tainted == c.degraded() && pending.remove(name, c)) {
            (c.degraded() ? taintLatencies : untaintLatencies).add(System.nanoTime() - c.atNanos());
        }
    }

    /** Requests by method and kind of object, e.g. "PATCH nodes/status 500". */
    private static void printRequests(String what, List<ApiRequest> requests) {
        Map<String, Long> byKind = new java.util.TreeMap<>();
        for (ApiRequest r : List.copyOf(requests)) {
            String path = r.path().replaceAll("\\?.*", "");
            String kind = path.matches(".*/nodes/[^/]+/status") ? "nodes/status" : path.matches(".*/nodes(/[^/]+)?") ? "nodes"
                    : path.matches(".*/nodehealths/[^/]+/status") ? "nodehealths/status" : path.matches(".*/nodehealths(/[^/]+)?")
                    ? "nodehealths" : path.contains("/events") ? "events" : path.contains("/leases") ? "leases" : "other";
            byKind.merge(r.method() + " " + kind, 1L, Long::sum);
        }
        System.out.printf("%s: %s%n", what, byKind);
    }

    private static List<ApiRequest> since(List<ApiRequest> requests, int from) {
        return requests.subList(Math.min(from, requests.size()), requests.size());
    }

    /** CPU used so far by the kube-apiserver and etcd this benchmark started (the real server's), zero for the mock. */
    private static Duration serverCpu() {
        return ProcessHandle.current().descendants().filter(p -> p.info().command().map(c -> c.endsWith("/kube-apiserver") || c.endsWith("/etcd"))
                .orElse(false)).map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO)).reduce(Duration.ZERO, Duration::plus);
    }

    /** On the real server: the requests since {@code from} that were not answered 2xx, by kind and code (a refused patch is retried). */
    private static void printRefused(TestApiServer api, int from) {
        if (api instanceof RealApiServer real) {
            Map<String, Long> byCode = new java.util.TreeMap<>();
            List<RealApiServer.AuditedRequest> audit = real.audit();
            for (RealApiServer.AuditedRequest r : audit.subList(Math.min(from, audit.size()), audit.size())) {
                if (r.code() / 100 != 2 && !r.request().path().contains("/flowschemas/")) {
                    byCode.merge(r.request().method() + " " + r.request().path().replaceAll("\\?.*", "").replaceAll("node-\\d+", "NODE")
                            + " " + r.code(), 1L, Long::sum);
                }
            }
            System.out.printf("  not answered 2xx: %s%n", byCode);
        }
    }

    private static void printLatencies(String what, List<Long> nanos) {
        long[] sorted;
        synchronized (nanos) {
            sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        if (sorted.length == 0) {
            System.out.printf("  %s: none observed%n", what);
            return;
        }
        System.out.printf("  %s: %d changes, median %.0f ms, p99 %.0f ms, max %.0f ms%n", what, sorted.length,
                millis(sorted[sorted.length / 2]), millis(sorted[(int) Math.ceil(sorted.length * 0.99) - 1]),
                millis(sorted[sorted.length - 1]));
    }

    private static void printProcess(String when, long pid) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        run(jcmd, Long.toString(pid), "GC.run");
        String heap = run(jcmd, Long.toString(pid), "GC.heap_info");
        Matcher used = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(heap);
        String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        String[] stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat")).split("\\) ")[1].split(" ");
        long ticks = Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
        System.out.printf("operator %s: heap used after a full GC %s MiB of %s MiB committed; resident %s; CPU %.1f s%n", when,
                used.find() ? Long.parseLong(used.group(2)) / 1024 : "?", used.group(1) == null ? "?" : Long.parseLong(used.group(1)) / 1024,
                field(status, "VmRSS"), ticks / 100.0);
    }

    private static long linesWith(Path log, String text) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains(text)).count();
    }

    private static String field(String status, String name) {
        return Arrays.stream(status.split("\n")).filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).strip())
                .findFirst().orElse("?");
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    private static String name(int i) {
        return String.format("node-%05d", i);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
