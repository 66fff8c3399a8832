package io.dentryguard.probe.actuator.reclaim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dentryguard.api.v1alpha1.ReclaimOutcome;
import io.dentryguard.api.v1alpha1.ReclaimRequest.Scope;
import io.dentryguard.probe.monitor.ProcFiles;
import io.dentryguard.probe.cli.ProbeProcess;
import io.dentryguard.probe.testing.KubeletCgroupTree;
import io.dentryguard.probe.testing.RealKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reclaim of a real kubelet-style pod cgroup (v1 memory controller) flooded by a real process: 1M
 * negative dentries (~200 MB of slab) at most. Processes, cgroups and directories are removed
 * afterwards, also when the test fails.
 */
class ReclaimOnRealCgroupsIT {
    private static final Path MEMORY = KubeletCgroupTree.MEMORY;
    private static final Path CGROUP_ROOT = MEMORY.getParent();
    private static final long FLOOD = 1_000_000;

    private KubeletCgroupTree tree;
    private Path scratch;

    @BeforeEach
    void setUp() throws Exception {
        RealKernel.assumeRootOnLinux();
        RealKernel.assumeCountsNegatives();
        tree = KubeletCgroupTree.create("dentry-guard-reclaim-it");
        assumeTrue(Files.exists(MEMORY.resolve("memory.force_empty")), "needs memory.force_empty (cgroup v1) at " + MEMORY);
        scratch = RealKernel.scratchDirectory("dentry-guard-reclaim-");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (tree != null) {
            tree.close();
        }
        RealKernel.delete(scratch);
    }

    private Path container(String podUid) throws IOException {
        return tree.container("burstable", podUid);
    }

    /** The packaged probe's flood command, in {@code cgroup} from before it execs. */
    private Process flood(Path cgroup, boolean hold) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-XX:+UseSerialGC", "-jar",
                ProbeProcess.jar().toString(),
                "flood", "--dir", Files.createDirectories(scratch.resolve("flood")).toString(), "--count", String.valueOf(FLOOD)));
        if (hold) {
            cmd.addAll(List.of("--hold", "10m"));
        }
        return tree.startIn(cgroup, scratch.resolve("flood.log"), cmd);
    }

    private static long kmem(Path cgroup) throws IOException {
        return Long.parseLong(Files.readString(cgroup.resolve("memory.kmem.usage_in_bytes")).strip());
    }

    /** Resolves the pod as the probe does, checks it may, reclaims, and returns the measured figures. */
    private Figures reclaim(String uid, long before, long afterFlood, Path expectedPod) throws Exception {
        Optional<MemoryHierarchy> hierarchy = MemoryHierarchy.find(CGROUP_ROOT);
        assertThat(hierarchy).hasValueSatisfying(h -> assertThat(h.v2()).isFalse());
        ReclaimCapabilities caps = ReclaimCapabilityCheck.check(true, false, hierarchy, CGROUP_ROOT, CgroupReclaimer.dropCaches(RealKernel.PROC));
        assertThat(caps.scopes()).as(caps.describe()).contains(Scope.POD);
        Optional<Path> pod = new PodCgroups(hierarchy.get().root()).find(uid);
        assertThat(pod).contains(expectedPod);
        long kmemBefore = kmem(expectedPod);
        ReclaimOutcome o = new CgroupReclaimer(RealKernel.PROC, CgroupReclaimer.dropCaches(RealKernel.PROC), hierarchy.get())
                .reclaim(new ReclaimDecision.Perform("it", Scope.POD, pod.get()));
        long after = RealKernel.negativeDentries();
        Figures f = new Figures(afterFlood - before, afterFlood - after, kmemBefore, kmem(expectedPod), o);
        System.out.printf("reclaim figures: node nr_negative before flood %,d, after flood %,d (made %,d), after reclaim %,d "
                        + "(freed %,d = %.1f%% of made); pod kmem %,d -> %,d bytes; outcome %s %s (%.3f s, freed %s negatives, %s bytes)%n",
                before, afterFlood, f.made(), after, f.freed(), 100.0 * f.freed() / f.made(), f.kmemBefore(), f.kmemAfter(),
                o.getResult(), o.getMessage(), o.getDurationSeconds(), o.getFreedNegativeDentries(), o.getFreedBytes());
        return f;
    }

    record Figures(long made, long freed, long kmemBefore, long kmemAfter, ReclaimOutcome outcome) {}

    @Test
    void freesTheNegativesOfAPodWhoseFlooderIsStillRunning() throws Exception {
        String uid = UUID.randomUUID().toString();
        Path container = container(uid);
        long before = RealKernel.negativeDentries();
        Process flooder = flood(container, true);
        await().atMost(Duration.ofSeconds(180)).until(() -> Files.readString(scratch.resolve("flood.log")).contains("holding")
                || !flooder.isAlive());
        assertThat(flooder.isAlive()).as(Files.readString(scratch.resolve("flood.log"))).isTrue();
        System.out.println("flood: " + Files.readString(scratch.resolve("flood.log")).strip());
        long afterFlood = RealKernel.negativeDentries();
        assertThat(afterFlood - before).as("the flood made most of its 1M negatives").isGreaterThan(FLOOD * 8 / 10);

        Figures f = reclaim(uid, before, afterFlood, container.getParent());

        assertThat(f.outcome().getResult()).isEqualTo(ReclaimOutcome.Result.DONE);
        assertThat(f.freed()).as("at least 90%% of the negatives it made").isGreaterThanOrEqualTo(f.made() * 9 / 10);
        assertThat(f.outcome().getFreedNegativeDentries()).isGreaterThanOrEqualTo(f.made() * 9 / 10);
        assertThat(f.outcome().getFreedBytes()).isGreaterThan(100_000_000L);
        assertThat(flooder.isAlive()).as("the flooding process survives the reclaim").isTrue();
        System.out.println("flooding process alive after reclaim: " + flooder.isAlive() + " (pid " + flooder.pid() + ")");
    }

    @Test
    void freesTheNegativesOfAPodWhoseProcessHasExited() throws Exception {
        String uid = UUID.randomUUID().toString();
        Path container = container(uid);
        long before = RealKernel.negativeDentries();
        Process flooder = flood(container, false);
        assertThat(flooder.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(flooder.exitValue()).as(Files.readString(scratch.resolve("flood.log"))).isZero();
        System.out.println("flood: " + Files.readString(scratch.resolve("flood.log")).strip());
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(container.resolve("cgroup.procs")).isBlank());
        long afterFlood = RealKernel.negativeDentries();
        assertThat(afterFlood - before).as("the flood made most of its 1M negatives").isGreaterThan(FLOOD * 8 / 10);

        Figures f = reclaim(uid, before, afterFlood, container.getParent());

        assertThat(f.outcome().getResult()).isEqualTo(ReclaimOutcome.Result.DONE);
        assertThat(f.freed()).as("at least 90%% of the negatives it made").isGreaterThanOrEqualTo(f.made() * 9 / 10);
        assertThat(f.outcome().getFreedBytes()).isGreaterThan(100_000_000L);
    }

    /**
     * The last rung on the real kernel: {@code 2 > drop_caches} frees every unused dentry of the node
     * (every other test's cache too, for a moment), the flood's among them.
     */
    @Test
    void theNodeRungFreesTheNodesNegatives() throws Exception {
        Path container = container(UUID.randomUUID().toString());
        long before = RealKernel.negativeDentries();
        Process flooder = flood(container, false);
        assertThat(flooder.waitFor(180, TimeUnit.SECONDS)).isTrue();
        long afterFlood = RealKernel.negativeDentries();
        assertThat(afterFlood - before).as("the flood made most of its 1M negatives").isGreaterThan(FLOOD * 8 / 10);
        ProcFiles proc = new ProcFiles(Path.of("/proc"));
        ReclaimCapabilities caps = ReclaimCapabilityCheck.check(false, true, MemoryHierarchy.find(CGROUP_ROOT), CGROUP_ROOT, CgroupReclaimer.dropCaches(proc));
        assertThat(caps.scopes()).as(caps.describe()).contains(Scope.NODE);

        ReclaimOutcome o = new CgroupReclaimer(proc, CgroupReclaimer.dropCaches(proc), MemoryHierarchy.find(CGROUP_ROOT).orElse(null))
                .reclaim(new ReclaimDecision.Perform("it-node", Scope.NODE, null));

        long after = RealKernel.negativeDentries();
        System.out.printf("node reclaim: nr_negative %,d before the flood, %,d after it, %,d after drop_caches; outcome %s %s (%.3f s)%n",
                before, afterFlood, after, o.getResult(), o.getMessage(), o.getDurationSeconds());
        assertThat(o.getResult()).as(o.getMessage()).isEqualTo(ReclaimOutcome.Result.DONE);
        assertThat(afterFlood - after).as("at least 90%% of the flood's negatives").isGreaterThanOrEqualTo((afterFlood - before) * 9 / 10);
        assertThat(o.getFreedNegativeDentries()).isGreaterThanOrEqualTo((afterFlood - before) * 9 / 10);
    }
}
