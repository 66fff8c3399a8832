package io.dentryguard.bench;

import io.dentryguard.api.testing.ApiRequest;
import io.dentryguard.api.testing.MockApiServer;
import io.dentryguard.probe.monitor.CanaryMeasurement;
import io.dentryguard.probe.monitor.HashBuckets;
import io.dentryguard.probe.monitor.KernelRelease;
import io.dentryguard.probe.monitor.LookupCanary;
import io.dentryguard.probe.monitor.NodeMonitor;
import io.dentryguard.probe.monitor.ProcFiles;
import io.dentryguard.probe.monitor.Reading;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The probe's cost at default settings on a healthy node, standalone and in cluster mode (writing
 * its NodeHealth to fabric8's mock API server), next to node_exporter's slabinfo and meminfo
 * collectors, in one run: all are started, all are scraped every 5 s as Prometheus would, and their
 * CPU time (utime + stime from /proc/PID/stat, in total and by thread) and resident set are read at
 * the end. Variants (other JVM options, environment, arguments or jars) can run beside them, and
 * Native Memory Tracking can break their memory down. Also the cost of one sensors-only sample and
 * one canary pass, measured in this JVM, and of reading 110 pods' cgroups.
 */
public final class ProbeCostBenchmark {
    private static final Duration SCRAPE_EVERY = Duration.ofSeconds(5);
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private ProbeCostBenchmark() {}

    public static void main(String[] args) throws Exception {
        BenchArguments a = new BenchArguments(args, Set.of("only", "warm-up-seconds", "seconds", "launcher", "variants", "nmt"));
        long seconds = Long.parseLong(a.get("seconds", "300"));
        long warmUpSeconds = Long.parseLong(a.get("warm-up-seconds", "120"));
        Path launcher = Path.of(a.get("launcher", "dentry-guard"));
        String only = a.get("only", "");
        String variants = a.get("variants", "");
        boolean nmt = Boolean.parseBoolean(a.get("nmt", "false"));
        if (!List.of("", "cgroups", "processes").contains(only)) {
            throw new IllegalArgumentException("--only=cgroups or --only=processes, not --only=" + only);
        }
        System.out.printf(Locale.ROOT, "# dentry-guard probe cost, %s, %d cores, kernel %s, load average %s%n%n", java.time.Instant.now(),
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip(), loadAverage());
        if (!only.equals("processes")) {
            cgroupReads();
            if (only.equals("cgroups")) {
                return;
            }
            inProcess();
        }
        processes(launcher, Duration.ofSeconds(warmUpSeconds), Duration.ofSeconds(seconds), variants, nmt);
    }

    /** Reading 110 pods (the kubelet's default pod limit), 2 containers each, from real v1 cgroups. */
    private static void cgroupReads() throws Exception {
        Path memory = Path.of("/sys/fs/cgroup/memory");
        if (!Files.isRegularFile(memory.resolve("memory.kmem.usage_in_bytes"))) {
            System.out.println("cgroup reads: skipped, no v1 memory controller at " + memory);
            return;
        }
        Path base = memory.resolve("dentry-guard-bench-" + ProcessHandle.current().pid());
        Path cgroupRoot = Files.createTempDirectory("dentry-guard-bench-root");
        List<Path> created = new ArrayList<>();
        try {
            for (int i = 0; i < 110; i++) {
                Path pod = base.resolve("kubepods/burstable").resolve(String.format("pod%08d-0000-4000-8000-%012d", i, i));
                for (int c = 0; c < 2; c++) {
                    Path container = pod.resolve(String.format("%064x", i * 2L + c + 1));
                    Files.createDirectories(container);
                    created.add(container);
                }
            }
            // The sampler looks for "memory" under its root: point a private root's "memory" at the real one.
            Files.createSymbolicLink(cgroupRoot.resolve("memory"), memory);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            try (io.dentryguard.probe.monitor.cgroup.CgroupMonitor sampler =
                         io.dentryguard.probe.monitor.cgroup.CgroupMonitor.open(cgroupRoot, Integer.MAX_VALUE)) {
                long r0 = System.nanoTime();
                int followed = sampler.sample().cgroups().size();
                long rescan = System.nanoTime() - r0;
                for (int i = 0; i < 200; i++) {
                    sampler.sample();
                }
                int n = 1000;
                long[] wall = new long[n];
                long[] cpu = new long[n];
                for (int i = 0; i < n; i++) {
                    long c0 = threads.getCurrentThreadCpuTime();
                    long w0 = System.nanoTime();
                    sampler.sample();
                    wall[i] = System.nanoTime() - w0;
                    cpu[i] = threads.getCurrentThreadCpuTime() - c0;
                }
                System.out.printf(Locale.ROOT, "cgroup reads: 110 pods x 2 containers (%d cgroups followed, host ones included): listing and"
                                + " reading all %.1f ms (first, opening files); each sample (pods and host cgroups, kept files) median %.2f ms"
                                + " wall, %.2f ms CPU, p99 %.2f ms%n",
                        followed, rescan / 1e6, median(wall) / 1e6, median(cpu) / 1e6, p99(wall) / 1e6);
            }
            try (io.dentryguard.probe.monitor.cgroup.CgroupMonitor rescanning =
                         io.dentryguard.probe.monitor.cgroup.CgroupMonitor.open(cgroupRoot, 1)) {
                int n = 100;
                long[] wall = new long[n];
                for (int i = 0; i < n + 20; i++) {
                    long w0 = System.nanoTime();
                    rescanning.sample();
                    if (i >= 20) {
                        wall[i - 20] = System.nanoTime() - w0;
                    }
                }
                System.out.printf(Locale.ROOT, "cgroup rescan (list the tree, read pods, containers and host cgroups; every 6th sample"
                        + " by default): median %.2f ms wall%n%n", median(wall) / 1e6);
            }
        } finally {
            for (Path c : created) {
                Files.deleteIfExists(c);
            }
            if (Files.exists(base)) {
                try (var walk = Files.walk(base)) {
                    for (Path p : walk.filter(Files::isDirectory).sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.deleteIfExists(cgroupRoot.resolve("memory"));
            Files.deleteIfExists(cgroupRoot);
        }
    }

    private static void inProcess() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        NodeMonitor sensors = new NodeMonitor(new ProcFiles(Path.of("/proc")), "bench",
                KernelRelease.parse(Files.readString(Path.of(KernelRelease.SOURCE))), Reading.of(new HashBuckets(4_194_304, HashBuckets.Source.CONFIGURATION, "bench")), Optional.empty(), 1, 1,
                Clock.systemUTC());
        for (int i = 0; i < 300; i++) {
            sensors.sample();
        }
        int n = 2000;
        long[] cpu = new long[n];
        long[] wall = new long[n];
        for (int i = 0; i < n; i++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            sensors.sample();
            wall[i] = System.nanoTime() - w0;
            cpu[i] = threads.getCurrentThreadCpuTime() - c0;
        }
        System.out.printf(Locale.ROOT, "sensors-only sample (dentry-state, slabinfo, meminfo, inode-nr), %d samples:"
                + " median %.0f us wall, %.0f us CPU; p99 %.0f us wall%n", n, median(wall) / 1e3, median(cpu) / 1e3, p99(wall) / 1e3);

        Path dir = Files.createTempDirectory(Path.of("/var/tmp"), "dentry-guard-bench-canary-");
        try (LookupCanary canary = LookupCanary.prepare(dir, 2000, Clock.systemUTC())) {
            int passes = 50;
            long[] passCpu = new long[passes];
            long[] passWall = new long[passes];
            double[] ns = new double[passes];
            for (int i = 0; i < passes; i++) {
                long c0 = threads.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                CanaryMeasurement m = canary.measure(1);
                passWall[i] = System.nanoTime() - w0;
                passCpu[i] = threads.getCurrentThreadCpuTime() - c0;
                ns[i] = m.nsPerLookup();
            }
            Arrays.sort(ns);
            System.out.printf(Locale.ROOT, "canary pass (2,000 paths, %d lookups each, with its control calls), %d passes:"
                            + " median %.1f ms wall, %.1f ms CPU; median %.0f ns per lookup%n",
                    dir.getNameCount() + 3, passes, median(passWall) / 1e6, median(passCpu) / 1e6, ns[passes / 2]);
        } finally {
            LookupCanary.deleteTree(dir, true);
        }
        System.out.println();
    }

    /** A probe process to measure: its label, whether it reports to the API server, its environment and launcher. */
    private record ProbeCase(String label, boolean cluster, Map<String, String> env, Path launcher, List<String> args) {}

    /** A process measured; {@code node} is the Node a cluster-mode probe reports on, else null. */
    private record Measured(String label, Process process, String url, String node) {}

    /**
     * Cluster-mode variants from {@code --variants=LABEL:NAME=VALUE;NAME=VALUE|LABEL:...}: each runs
     * as one more cluster-mode probe with those environment variables ({@code PROBE_JVM_OPTIONS}
     * adds JVM options through the launcher; {@code LAUNCHER} names another launcher, e.g. a copy
     * with a patched jar; {@code ARGS} adds probe arguments; {@code MODE=standalone} runs it without
     * {@code --report-node-health}), so that candidates are compared within one run. {@code {api}} in a value
     * stands for the mock API server's URL (KUBERNETES_MASTER={api};KUBERNETES_AUTH_TRYKUBECONFIG=false
     * configures the client without a kubeconfig, as in a pod).
     */
    private static List<ProbeCase> variants(String spec, Path launcher, String apiUrl) {
        List<ProbeCase> cases = new ArrayList<>();
        for (String v : spec.split("\\|")) {
            if (v.isBlank()) {
                continue;
            }
            int colon = v.indexOf(':');
            String label = colon < 0 ? v : v.substring(0, colon);
            Map<String, String> env = new LinkedHashMap<>();
            List<String> args = new ArrayList<>();
            boolean cluster = true;
            Path l = launcher;
            if (colon >= 0) {
                for (String kv : v.substring(colon + 1).split(";")) {
                    int eq = kv.indexOf('=');
                    if (eq < 1) {
                        throw new IllegalArgumentException("variant " + label + ": '" + kv + "' is not NAME=VALUE");
                    }
                    if (kv.substring(0, eq).equals("LAUNCHER")) {
                        l = Path.of(kv.substring(eq + 1));
                    } else if (kv.equals("MODE=standalone")) {
                        cluster = false;
                    } else if (kv.substring(0, eq).equals("ARGS")) {
                        args.addAll(List.of(kv.substring(eq + 1).trim().split("\\s+")));
                    } else {
                        env.put(kv.substring(0, eq), kv.substring(eq + 1).replace("{api}", apiUrl));
                    }
                }
            }
            cases.add(new ProbeCase(label, cluster, env, l, args));
        }
        return cases;
    }

    private static void processes(Path launcher, Duration warmUp, Duration measure, String variantSpec, boolean nmt) throws Exception {
        Path work = Files.createTempDirectory(Path.of("/var/tmp"), "dentry-guard-bench-");
        List<Process> started = new ArrayList<>();
        // The API server for cluster mode: fabric8's mock with the NodeHealth CRD, in this JVM, and the
        // probe's Node, without which the probe cannot create its NodeHealth (the Node owns it).
        try (MockApiServer api = new MockApiServer()) {
            Path kubeconfig = api.kubeconfig(work);
            List<ProbeCase> cases = new ArrayList<>();
            cases.add(new ProbeCase("dentry-guard probe (standalone, defaults: sample every 5 s, canary every 30 s)", false, Map.of(),
                    launcher, List.of()));
            cases.add(new ProbeCase("dentry-guard probe --report-node-health (cluster mode, against the mock API server)", true,
                    Map.of(), launcher, List.of()));
            cases.addAll(variants(variantSpec, launcher, api.client.getMasterUrl().toString().replaceAll("/$", "")));

            List<Measured> probes = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                ProbeCase c = cases.get(i);
                int port = freePort();
                List<String> command = new ArrayList<>(List.of(c.launcher().toString(), "probe", "--metrics-port", String.valueOf(port),
                        "--metrics-address", "127.0.0.1", "--state-dir", work.resolve("state-" + i).toString()));
                // Each cluster-mode probe reports on a Node of its own, which must exist (it owns the NodeHealth).
                String node = c.cluster() ? "bench-node-" + i : null;
                if (node != null) {
                    api.node(node);
                    command.addAll(List.of("--report-node-health", "--node", node));
                }
                command.addAll(c.args());
                ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(work.resolve("probe-" + i + ".out").toFile())
                        .redirectError(work.resolve("probe-" + i + ".err").toFile());
                pb.environment().put("KUBECONFIG", kubeconfig.toString());
                pb.environment().putAll(c.env());
                if (nmt) {
                    pb.environment().merge("PROBE_JVM_OPTIONS", "-XX:NativeMemoryTracking=summary", (a, b) -> b + " " + a);
                }
                started.add(pb.start());
                String label = i < 2 ? c.label() : (c.cluster() ? "cluster mode" : "standalone") + ", variant " + c.label() + ": " + c.env()
                        + (c.args().isEmpty() ? "" : ", arguments " + c.args())
                        + (c.launcher().equals(launcher) ? "" : ", launcher " + c.launcher());
                probes.add(new Measured(label, started.get(i), "http://127.0.0.1:" + port + "/metrics", node));
            }
            List<Measured> all = new ArrayList<>(probes);
            File nodeExporter = new File("/usr/bin/prometheus-node-exporter");
            if (nodeExporter.canExecute()) {
                int exporterPort = freePort();
                Process p = new ProcessBuilder(nodeExporter.getPath(), "--collector.disable-defaults", "--collector.slabinfo",
                        "--collector.meminfo", "--web.listen-address=127.0.0.1:" + exporterPort)
                        .redirectErrorStream(true).redirectOutput(work.resolve("node-exporter.out").toFile()).start();
                started.add(p);
                all.add(new Measured("node_exporter --collector.slabinfo --collector.meminfo", p,
                        "http://127.0.0.1:" + exporterPort + "/metrics", null));
            } else {
                System.out.println("node_exporter not installed (apt-get install prometheus-node-exporter): probes only");
            }
            HttpClient http = HttpClient.newHttpClient();
            long warmUpEnd = System.nanoTime() + warmUp.toNanos();
            while (System.nanoTime() < warmUpEnd) {
                for (Measured m : all) {
                    scrape(http, m.url());
                }
                Thread.sleep(SCRAPE_EVERY.toMillis());
            }
            for (int i = 0; i < probes.size(); i++) {
                if (!probes.get(i).process().isAlive()) {
                    throw new IllegalStateException(probes.get(i).label() + " ended during the warm-up: "
                            + Files.readString(work.resolve("probe-" + i + ".err")));
                }
            }
            long[] cpu0 = new long[all.size()];
            List<Map<Long, Long>> threads0 = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                cpu0[i] = cpuTicks(all.get(i).process().pid());
                threads0.add(threadTicks(all.get(i).process().pid(), new LinkedHashMap<>()));
            }
            System.out.printf(Locale.ROOT, "start-up and warm-up, CPU in the first %d s:", warmUp.toSeconds());
            for (int i = 0; i < probes.size(); i++) {
                System.out.printf(Locale.ROOT, "%s %.0f ms (%s)", i == 0 ? "" : ",", cpu0[i] * 1000.0 / CLOCK_TICKS_PER_SECOND,
                        i == 0 ? "standalone" : i == 1 ? "cluster mode" : cases.get(i).label());
            }
            System.out.printf(Locale.ROOT, "%nload average at the start of the measured span: %s%n%n", loadAverage());
            int requests0 = api.requests.size();
            long t0 = System.nanoTime();
            int scrapes = 0;
            while (System.nanoTime() - t0 < measure.toNanos()) {
                for (Measured m : all) {
                    scrape(http, m.url());
                }
                scrapes++;
                Thread.sleep(SCRAPE_EVERY.toMillis());
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            for (int i = 0; i < all.size(); i++) {
                Measured m = all.get(i);
                long ticks = cpuTicks(m.process().pid()) - cpu0[i];
                report(m.label(), m.process().pid(), ticks, elapsed, scrapes);
                byThread(m.process().pid(), threads0.get(i), ticks);
                if (m.node() != null) {
                    System.out.println("  API requests for " + m.node() + ": while measured " + calls(api.requests.subList(requests0,
                            api.requests.size()), m.node()) + "; since its start " + calls(api.requests, m.node()));
                }
            }
            System.out.printf(Locale.ROOT, "%nmeasured over %.0f s after a %d s warm-up, all scraped every %d s (%d scrapes each);"
                            + " load average at the end: %s%n", elapsed, warmUp.toSeconds(), SCRAPE_EVERY.toSeconds(), scrapes, loadAverage());
            if (nmt) {
                for (Measured m : probes) {
                    nativeMemory(m.label(), m.process().pid());
                }
            }
        } finally {
            for (Process p : started) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            try (var walk = Files.walk(work)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The requests about {@code node}'s objects, counted by method and resource ("GET pods" is a pod lookup). */
    private static String calls(List<ApiRequest> requests, String node) {
        Pattern mine = Pattern.compile("(?<![\\w-])" + node + "(?![\\w-])");
        Pattern resource = Pattern.compile("/(nodehealths|nodes|pods)\\b");
        Map<String, Long> calls = requests.stream()
                .filter(r -> mine.matcher(URLDecoder.decode(r.path(), StandardCharsets.UTF_8)).find() || mine.matcher(r.body()).find())
                .filter(r -> !(r.method().equals("POST") && r.path().startsWith("/api/v1/nodes"))) // the benchmark's own
                .collect(Collectors.groupingBy(r -> {
                    Matcher k = resource.matcher(r.path());
                    return r.method() + " " + (k.find() ? k.group(1) : r.path()) + (r.path().endsWith("/status") ? "/status" : "");
                }, TreeMap::new, Collectors.counting()));
        return calls.isEmpty() ? "none" : calls.toString();
    }

    private static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    private static final Pattern NMT_CATEGORY = Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
    private static final Pattern NMT_TOTAL = Pattern.compile("^Total: reserved=(\\d+)KB, committed=(\\d+)KB");

    /** Native Memory Tracking's summary (committed, by category), the threads by name, and the resident set split. */
    private static void nativeMemory(String label, long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "VM.native_memory", "summary").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Map<String, Long> committed = new LinkedHashMap<>();
        long total = -1;
        for (String line : out.lines().map(String::strip).toList()) {
            Matcher c = NMT_CATEGORY.matcher(line);
            if (c.find()) {
                committed.put(c.group(1), Long.parseLong(c.group(3)));
            }
            Matcher t = NMT_TOTAL.matcher(line);
            if (t.find()) {
                total = Long.parseLong(t.group(2));
            }
        }
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        System.out.printf(Locale.ROOT, "%n%s%n  resident %s = anonymous %s (of which the Java heap %d kB) + file %s; NMT committed %.1f MiB:",
                label, field(status, "VmRSS"), field(status, "RssAnon"), heapResidentKb(jcmd, pid), field(status, "RssFile"), total / 1024.0);
        committed.entrySet().stream().filter(e -> e.getValue() >= 100).sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> System.out.printf(Locale.ROOT, " %s %.1f,", e.getKey(), e.getValue() / 1024.0));
        Matcher classes = Pattern.compile("\\(classes #(\\d+)\\)").matcher(out);
        Matcher threads = Pattern.compile("\\(thread #(\\d+)\\)").matcher(out);
        System.out.printf(Locale.ROOT, " MiB; %s classes, %s threads%n", classes.find() ? classes.group(1) : "?",
                threads.find() ? threads.group(1) : "?");
        Map<String, Integer> names = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    names.merge(Files.readString(t.resolve("comm")).strip().replaceAll("[#0-9-]+$", ""), 1, Integer::sum);
                } catch (IOException gone) {
                    // a thread that ended meanwhile
                }
            }
        }
        System.out.println("  threads by name: " + names);
    }

    /** Resident kB of the Java heap's address range (from GC.heap_info), summed over /proc/PID/smaps. */
    private static long heapResidentKb(Path jcmd, long pid) throws Exception {
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        long low = Long.MAX_VALUE;
        long high = 0;
        for (String line : out.lines().filter(l -> l.contains("generation")).toList()) {
            Matcher m = Pattern.compile("0x([0-9a-f]+)").matcher(line);
            while (m.find()) {
                long a = Long.parseUnsignedLong(m.group(1), 16);
                low = Math.min(low, a);
                high = Math.max(high, a);
            }
        }
        long kb = 0;
        long start = -1;
        long end = -1;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps"))) {
            Matcher range = Pattern.compile("^([0-9a-f]+)-([0-9a-f]+) ").matcher(line);
            if (range.find()) {
                start = Long.parseUnsignedLong(range.group(1), 16);
                end = Long.parseUnsignedLong(range.group(2), 16);
            } else if (line.startsWith("Rss:") && start < high && end > low) {
                kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return kb;
    }

    private static void report(String name, long pid, long ticks, double seconds, int scrapes) throws IOException {
        double cpuMs = ticks * 1000.0 / CLOCK_TICKS_PER_SECOND;
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        long threads;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            threads = tasks.count();
        }
        System.out.printf(Locale.ROOT, "%s%n  CPU %.0f ms in %.0f s = %.3f%% of one core = %.1f ms per 5 s interval = %.1f ms per scrape;"
                        + " resident %s (peak %s), %d threads%n",
                name, cpuMs, seconds, 100 * cpuMs / 1000 / seconds, cpuMs / (seconds / 5), cpuMs / scrapes,
                field(status, "VmRSS"), field(status, "VmHWM"), threads);
    }

    private static String field(String status, String key) {
        return status.lines().filter(l -> l.startsWith(key + ":")).map(l -> l.substring(key.length() + 1).strip())
                .findFirst().orElse("?");
    }

    /** utime + stime of each living thread, by thread id; {@code names} gets each one's name. */
    private static Map<Long, Long> threadTicks(long pid, Map<Long, String> names) throws IOException {
        Map<Long, Long> ticks = new LinkedHashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long tid = Long.parseLong(t.getFileName().toString());
                    ticks.put(tid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
                    names.put(tid, stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[#0-9-]+$", ""));
                } catch (IOException | RuntimeException gone) {
                    // a thread that ended meanwhile
                }
            }
        }
        return ticks;
    }

    /** The measured span's CPU by thread name (threads that ended meanwhile count as "ended"). */
    private static void byThread(long pid, Map<Long, Long> before, long total) throws IOException {
        Map<Long, String> names = new LinkedHashMap<>();
        Map<Long, Long> after = threadTicks(pid, names);
        Map<String, Long> byName = new LinkedHashMap<>();
        long counted = 0;
        for (var e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            counted += d;
            if (d > 0) {
                byName.merge(names.get(e.getKey()), d, Long::sum);
            }
        }
        if (total - counted > 0) {
            byName.merge("ended", total - counted, Long::sum);
        }
        StringBuilder line = new StringBuilder("  CPU by thread:");
        byName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(e -> line.append(
                String.format(Locale.ROOT, " %s %.0f ms,", e.getKey(), e.getValue() * 1000.0 / CLOCK_TICKS_PER_SECOND)));
        System.out.println(line.substring(0, line.length() - 1));
    }

    /** utime + stime of every thread of the process, living or ended, in clock ticks. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static void scrape(HttpClient http, String url) {
        try {
            http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // not up yet during the warm-up; a failure while measuring shows as a missing figure
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double p99(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) (sorted.length * 0.99)];
    }
}
