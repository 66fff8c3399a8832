package io.dentryguard.bench;

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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The probe's cost at default settings on a healthy node, next to node_exporter's slabinfo and
 * meminfo collectors, in one run: both are started, both are scraped every 5 s as Prometheus would,
 * and their CPU time (utime + stime from /proc/PID/stat) and resident set are read at the end.
 * Also the cost of one sensors-only sample and one canary pass, measured in this JVM.
 */
public final class ProbeCostBenchmark {
    private static final Duration SCRAPE_EVERY = Duration.ofSeconds(5);
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private ProbeCostBenchmark() {}

    public static void main(String[] args) throws Exception {
        long seconds = 300;
        long warmUpSeconds = 120;
        Path launcher = Path.of("dentry-guard");
        boolean onlyCgroups = false;
        for (String a : args) {
            if (a.equals("--only=cgroups")) {
                onlyCgroups = true;
            }
            if (a.startsWith("--warm-up-seconds=")) {
                warmUpSeconds = Long.parseLong(a.substring("--warm-up-seconds=".length()));
            } else if (a.startsWith("--seconds=")) {
                seconds = Long.parseLong(a.substring("--seconds=".length()));
            } else if (a.startsWith("--launcher=")) {
                launcher = Path.of(a.substring("--launcher=".length()));
            }
        }
        System.out.printf(Locale.ROOT, "# dentry-guard probe cost, %s, %d cores, kernel %s%n%n", java.time.Instant.now(),
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
        cgroupReads();
        if (onlyCgroups) {
            return;
        }
        inProcess();
        processes(launcher, Duration.ofSeconds(warmUpSeconds), Duration.ofSeconds(seconds));
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

    private static void processes(Path launcher, Duration warmUp, Duration measure) throws Exception {
        Path work = Files.createTempDirectory(Path.of("/var/tmp"), "dentry-guard-bench-");
        int probePort = freePort();
        int exporterPort = freePort();
        List<Process> started = new ArrayList<>();
        try {
            Process probe = new ProcessBuilder(launcher.toString(), "probe", "--metrics-port", String.valueOf(probePort),
                    "--metrics-address", "127.0.0.1", "--state-dir", work.resolve("state").toString())
                    .redirectOutput(work.resolve("probe.out").toFile()).redirectError(work.resolve("probe.err").toFile()).start();
            started.add(probe);
            Process exporter = null;
            File nodeExporter = new File("/usr/bin/prometheus-node-exporter");
            if (nodeExporter.canExecute()) {
                exporter = new ProcessBuilder(nodeExporter.getPath(), "--collector.disable-defaults", "--collector.slabinfo",
                        "--collector.meminfo", "--web.listen-address=127.0.0.1:" + exporterPort)
                        .redirectErrorStream(true).redirectOutput(work.resolve("node-exporter.out").toFile()).start();
                started.add(exporter);
            } else {
                System.out.println("node_exporter not installed (apt-get install prometheus-node-exporter): probe only");
            }
            HttpClient http = HttpClient.newHttpClient();
            String probeUrl = "http://127.0.0.1:" + probePort + "/metrics";
            String exporterUrl = "http://127.0.0.1:" + exporterPort + "/metrics";
            long warmUpEnd = System.nanoTime() + warmUp.toNanos();
            while (System.nanoTime() < warmUpEnd) {
                scrape(http, probeUrl);
                if (exporter != null) {
                    scrape(http, exporterUrl);
                }
                Thread.sleep(SCRAPE_EVERY.toMillis());
            }
            long probeCpu0 = cpuTicks(probe.pid());
            System.out.printf(Locale.ROOT, "probe start-up and warm-up: %.0f ms CPU in the first %d s%n%n",
                    probeCpu0 * 1000.0 / CLOCK_TICKS_PER_SECOND, warmUp.toSeconds());
            long exporterCpu0 = exporter == null ? 0 : cpuTicks(exporter.pid());
            long t0 = System.nanoTime();
            int scrapes = 0;
            while (System.nanoTime() - t0 < measure.toNanos()) {
                scrape(http, probeUrl);
                if (exporter != null) {
                    scrape(http, exporterUrl);
                }
                scrapes++;
                Thread.sleep(SCRAPE_EVERY.toMillis());
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            report("dentry-guard probe (defaults: sample every 5 s, canary every 30 s)", probe.pid(), cpuTicks(probe.pid()) - probeCpu0,
                    elapsed, scrapes);
            if (exporter != null) {
                report("node_exporter --collector.slabinfo --collector.meminfo", exporter.pid(),
                        cpuTicks(exporter.pid()) - exporterCpu0, elapsed, scrapes);
            }
            System.out.printf(Locale.ROOT, "%nmeasured over %.0f s after a %d s warm-up, both scraped every %d s (%d scrapes each)%n",
                    elapsed, warmUp.toSeconds(), SCRAPE_EVERY.toSeconds(), scrapes);
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

    private static void report(String name, long pid, long ticks, double seconds, int scrapes) throws IOException {
        double cpuMs = ticks * 1000.0 / CLOCK_TICKS_PER_SECOND;
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        System.out.printf(Locale.ROOT, "%s%n  CPU %.0f ms in %.0f s = %.3f%% of one core = %.1f ms per 5 s interval = %.1f ms per scrape;"
                        + " resident %s (peak %s)%n",
                name, cpuMs, seconds, 100 * cpuMs / 1000 / seconds, cpuMs / (seconds / 5), cpuMs / scrapes,
                field(status, "VmRSS"), field(status, "VmHWM"));
    }

    private static String field(String status, String key) {
        return status.lines().filter(l -> l.startsWith(key + ":")).map(l -> l.substring(key.length() + 1).strip())
                .findFirst().orElse("?");
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
