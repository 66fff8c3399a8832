package io.dentryguard.bench;

import io.dentryguard.api.testing.RealApiServer;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.dentryguard.api.v1alpha1.OffenderStatus;
import io.dentryguard.api.v1alpha1.ReclaimOutcome;
import io.dentryguard.api.v1alpha1.RemediationStatus;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.probe.monitor.DentryState;
import io.dentryguard.probe.testing.KubeletCgroupTree;
import io.dentryguard.probe.testing.RealKernel;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Issue 11's figure: the time from the start of a flood of 20M names to its dentries freed, with
 * the probe and the operator at their default settings, for real: kube-apiserver and etcd
 * (tools/kube-binaries/build.sh), the operator as its service account through {@code ./dentry-guard
 * operator}, the probe in cluster mode with {@code --reclaim-pods} through {@code ./dentry-guard
 * probe}, and a flooding process in a kubelet-style pod cgroup of the real v1 memory controller,
 * registered as a Pod on the probe's Node. It prints a timeline: the node's negative dentries as
 * the kernel counts them, the probe's verdict and offender, the operator's ladder step, each reclaim
 * request and outcome, until the node's negatives are back within 10% of their value before the
 * flood (or {@code --timeout-seconds}). About 4 GB of dentry slab at its peak; everything it made
 * is removed at the end, also on failure. Root only.
 */
public final class RemediationLatencyBenchmark {
    private static final String NODE = "bench-flooded-node";
    private static final String NAMESPACE = "bench";

    /** After the flood ended and the probe calls the node Healthy, how long to go on looking. */
    private static final int SETTLE_SECONDS = 30;

    private final Map<String, String> lastSeen = new LinkedHashMap<>();
    private long floodStarted;
    private Double firstDoneAt;
    private final Set<String> doneIds = new HashSet<>();
    private long freedByReclaims;

    public static void main(String[] args) throws Exception {
        BenchArguments a = new BenchArguments(args, Set.of("names", "launcher", "timeout-seconds"));
        new RemediationLatencyBenchmark().run(Long.parseLong(a.get("names", "20000000")), Path.of(a.get("launcher", "./dentry-guard")),
                Integer.parseInt(a.get("timeout-seconds", "600")));
    }

    private void run(long names, Path launcher, int timeoutSeconds) throws Exception {
        if (!RealKernel.isRoot() || !RealKernel.countsNegatives()) {
            System.out.println("remediation latency: skipped, needs root and a kernel that counts negative dentries");
            return;
        }
        Path dir = Files.createTempDirectory("dentry-guard-remediation-bench");
        Path scratch = RealKernel.scratchDirectory("dentry-guard-remediation-flood-");
        List<Process> processes = new ArrayList<>();
        RealApiServer api = RealApiServer.start();
        KubeletCgroupTree pods = KubeletCgroupTree.create("dentry-guard-bench");
        AtomicBoolean cleaned = new AtomicBoolean();
        Runnable cleanUp = () -> {
            if (!cleaned.compareAndSet(false, true)) {
                return;
            }
            try {
                for (Process p : processes) {
                    p.destroy();
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
                pods.close(); // the flooder, then its cgroups emptied and removed
                api.close();
                RealKernel.delete(scratch); // removing the directory frees whatever negatives are left under it
                RealKernel.delete(dir);
            } catch (Exception e) {
                System.out.println("clean-up failed, look for " + dir + ", " + scratch + " and " + KubeletCgroupTree.MEMORY
                        + "/dentry-guard-bench-*: " + e);
            }
        };
        // Ctrl-C too: a flood of 4 GB left behind would slow this machine for everything after.
        Runtime.getRuntime().addShutdownHook(new Thread(cleanUp));
        try {
            api.apply("deploy/rbac.yaml");
            api.node(NODE);
            api.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
            Pod pod = api.client().pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName("flooder").endMetadata()
                    .withNewSpec().withNodeName(NODE).addNewContainer().withName("flood").withImage("flooder").endContainer().endSpec()
                    .build()).create();
            Path container = pods.container("besteffort", pod.getMetadata().getUid());

            Process operator = start(launcher, dir, "operator", api.kubeconfigAs(dir, "dentry-guard",
                    "dentry-guard-operator"), List.of("operator"), Map.of("DENTRYGUARD_METRICS_PORT", "0"));
            processes.add(operator);
            Process probe = start(launcher, dir, "probe", api.kubeconfigAs(dir, "dentry-guard", "dentry-guard-probe"),
                    List.of("probe", "--report-node-health", "--node", NODE, "--reclaim-pods", "--state-dir",
                            Files.createDirectories(dir.resolve("state")).toString()), Map.of());
            processes.add(probe);
            long waitUntil = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!Files.readString(dir.resolve("probe.log")).contains("reclaim: can perform")
                    || Optional.ofNullable(status(api)).map(s -> s.getConditions().isEmpty()).orElse(true)) {
                requireAlive(System.nanoTime() < waitUntil, "probe and operator to report (logs in " + dir + ")", operator, probe);
                TimeUnit.MILLISECONDS.sleep(200); // a benchmark's poll, not a test's synchronisation
            }
            long before = negatives();
            System.out.printf(Locale.ROOT, "%s; before the flood: %,d negative dentries; flooding %,d names in %s%n",
                    line(Files.readString(dir.resolve("probe.log")), "reclaim: can perform"), before, names, scratch);

            floodStarted = System.nanoTime();
            Process flooder = pods.startIn(container, dir.resolve("flood.log"), List.of(launcher.toAbsolutePath().toString(), "flood",
                    "--dir", scratch.toString(), "--count", Long.toString(names)));
            long peak = before;
            long deadline = floodStarted + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            Double freedAt = null;
            Double floodEndedAt = null;
            while (System.nanoTime() < deadline) {
                requireAlive(true, "", operator, probe);
                long now = negatives();
                peak = Math.max(peak, now);
                if (floodEndedAt == null && !flooder.isAlive()) {
                    floodEndedAt = elapsed();
                    print("flood", "ended, exit " + flooder.exitValue() + ": " + Files.readString(dir.resolve("flood.log")).strip());
                }
                NodeHealthStatus seen = observe(api, now);
                if (floodEndedAt != null && now - before <= before / 10) {
                    freedAt = elapsed();
                    break;
                }
                // What a Healthy node keeps is left to the kernel: the ladder has stopped, so stop looking a while after.
                if (floodEndedAt != null && elapsed() - floodEndedAt > SETTLE_SECONDS && Verdict.HEALTHY.equals(seen.getVerdict())) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(250);
            }
            long left = negatives() - before;
            System.out.printf(Locale.ROOT, "flood: %,d names, ended %s s after it started%n", names,
                    floodEndedAt == null ? "not within " + timeoutSeconds : String.format(Locale.ROOT, "%.1f", floodEndedAt));
            System.out.printf(Locale.ROOT, "first reclaim done: %s s after the flood started%n", firstDoneAt == null ? "never" : String.format(Locale.ROOT, "%.1f", firstDoneAt));
            System.out.printf(Locale.ROOT, "peak: %,d negative dentries (%,d above before, %.1f%% of the flood's names)%n", peak, peak - before,
                    100.0 * (peak - before) / names);
            System.out.printf(Locale.ROOT, "reclaims answered Done: %d, %,d negative dentries freed in all (%.1f%% of the flood's names)%n",
                    doneIds.size(), freedByReclaims, 100.0 * freedByReclaims / names);
            System.out.println(freedAt != null
                    ? String.format(Locale.ROOT, "freed: node back within 10%% of its negatives before the flood %.1f s after the flood started, "
                    + "%.1f s after it ended", freedAt, freedAt - floodEndedAt)
                    : String.format(Locale.ROOT, "left: %,d negative dentries above before (%,d MB at 200 bytes) on a node the probe calls %s, "
                    + "%.0f s after the flood ended", left, left * 200 / 1_000_000, status(api).getVerdict(), floodEndedAt == null ? 0 : elapsed() - floodEndedAt));
        } finally {
            cleanUp.run();
        }
    }

    private static Process start(Path launcher, Path dir, String name, Path kubeconfig, List<String> args, Map<String, String> env)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toAbsolutePath().toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().putAll(env);
        return pb.start();
    }

    private static void requireAlive(boolean inTime, String waitingFor, Process... processes) {
        for (Process p : processes) {
            if (!p.isAlive()) {
                throw new IllegalStateException("a component exited (" + p.info().commandLine().orElse("?") + "), exit " + p.exitValue());
            }
        }
        if (!inTime) {
            throw new IllegalStateException("gave up waiting for " + waitingFor);
        }
    }

    private static NodeHealthStatus status(RealApiServer api) {
        NodeHealth nh = api.client().resources(NodeHealth.class).withName(NODE).get();
        return nh == null ? null : nh.getStatus();
    }

    /** Prints what changed since the last look (the probe's verdict and offender, the ladder, the request and its outcome); returns the status read. */
    private NodeHealthStatus observe(RealApiServer api, long negatives) {
        NodeHealth nh = api.client().resources(NodeHealth.class).withName(NODE).get();
        NodeHealthStatus s = nh.getStatus();
        changed("verdict", s.getVerdict() + String.format(Locale.ROOT, " (chain %.2f, probe counted %,d negatives; kernel now %,d)",
                Objects.requireNonNullElse(s.getChainLength(), 0.0), Objects.requireNonNullElse(s.getNegativeDentries(), 0L), negatives),
                s.getVerdict() == null ? "" : s.getVerdict().toString());
        OffenderStatus top = s.getOffenders().isEmpty() ? null : s.getOffenders().get(0);
        if (top != null) {
            changed("offender", top.getPodNamespace() + "/" + top.getPodName() + " " + top.getConfidence() + " share " + top.getShare(),
                    top.getPodName() + top.getConfidence());
        }
        RemediationStatus r = s.getRemediation();
        if (r != null) {
            changed("ladder", r.getStep() + ": " + r.getMessage(), r.getStep() + r.getReclaims() + r.getLastRequestId());
        }
        if (nh.getSpec() != null && nh.getSpec().getReclaim() != null) {
            changed("request", nh.getSpec().getReclaim().getScope() + " " + nh.getSpec().getReclaim().getId(), nh.getSpec().getReclaim().getId());
        }
        ReclaimOutcome o = s.getReclaimOutcome();
        if (o != null && o.getResult() == ReclaimOutcome.Result.DONE && doneIds.add(o.getId())) {
            firstDoneAt = firstDoneAt == null ? elapsed() : firstDoneAt;
            freedByReclaims += Objects.requireNonNullElse(o.getFreedNegativeDentries(), 0L);
        }
        if (o != null) {
            changed("outcome", String.format(Locale.ROOT, "%s %s: %s negatives, %s bytes freed in %s s%s; kernel now %,d", o.getId(),
                    o.getResult(), o.getFreedNegativeDentries(), o.getFreedBytes(), o.getDurationSeconds(),
                    o.getMessage() == null ? "" : " (" + o.getMessage() + ")", negatives), o.getId() + o.getResult());
        }
        return s;
    }

    private void changed(String what, String text, String key) {
        if (!key.equals(lastSeen.get(what))) {
            lastSeen.put(what, key);
            print(what, text);
        }
    }

    private void print(String what, String text) {
        System.out.printf(Locale.ROOT, "%7.1f s  %-8s %s%n", elapsed(), what, text);
    }

    private double elapsed() {
        return (System.nanoTime() - floodStarted) / 1e9;
    }

    private static long negatives() throws Exception {
        return DentryState.parse(RealKernel.PROC.read(DentryState.SOURCE), RealKernel.kernel()).negative();
    }

    private static String line(String log, String containing) {
        return log.lines().filter(l -> l.contains(containing)).findFirst().orElse("").strip();
    }
}
