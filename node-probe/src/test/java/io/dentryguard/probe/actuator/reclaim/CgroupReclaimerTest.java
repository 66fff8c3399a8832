package io.dentryguard.probe.actuator.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.v1alpha1.ReclaimOutcome;
import io.dentryguard.api.v1alpha1.ReclaimRequest.Scope;
import io.dentryguard.probe.monitor.ProcFiles;
import io.dentryguard.probe.testing.ReclaimLayout;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reclaimer on file layouts written as the kernel writes them; a writer plays the kernel's side
 * of the write (what it frees, the errors it answers).
 */
class CgroupReclaimerTest {
    private static final String UID = "3f2b8c1e-7a4d-4e5f-9b6a-0c1d2e3f4a5b";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private ReclaimLayout layout;
    private Path proc;
    private Path cgroupRoot;
    private Path pod;
    private final List<String> writes = new ArrayList<>();
    /** 0.8 s per write. */
    private final AtomicLong nanos = new AtomicLong();

    @BeforeEach
    void layout() throws IOException {
        layout = ReclaimLayout.create(dir, 1_100_000);
        proc = layout.proc();
        cgroupRoot = layout.cgroupRoot();
        pod = Files.createDirectories(layout.systemdPod(UID));
    }

    private void negatives(long n) throws IOException {
        layout.negatives(n);
    }

    private void v2Memory(long slab, long current) throws IOException {
        layout.v2Memory(pod, slab, current);
    }

    private CgroupReclaimer reclaimer(boolean v2, CgroupReclaimer.ControlFileWriter kernel) {
        CgroupReclaimer.ControlFileWriter recording = (file, value) -> {
            writes.add(dir.relativize(file) + "=" + value);
            nanos.addAndGet(800_000_000L);
            kernel.write(file, value);
        };
        return new CgroupReclaimer(new ProcFiles(proc), CgroupReclaimer.dropCaches(new ProcFiles(proc)), new MemoryHierarchy(cgroupRoot, v2), recording, CLOCK, nanos::get);
    }

    private ReclaimOutcome reclaimPod(CgroupReclaimer r) {
        return r.reclaim(new ReclaimDecision.Perform("r1", Scope.POD, pod));
    }

    @Test
    void v2AllFreedAsAsked() throws IOException {
        v2Memory(220_000_000L, 300_000_000L);
        ReclaimOutcome o = reclaimPod(reclaimer(true, (file, value) -> {
            negatives(100_000);
            v2Memory(20_000_000L, 80_000_000L);
        }));
        assertThat(writes).containsExactly("cgroup/" + cgroupRoot.relativize(pod) + "/memory.reclaim=300000000");
        assertThat(o.getResult()).isEqualTo(ReclaimOutcome.Result.DONE);
        assertThat(o.getId()).isEqualTo("r1");
        assertThat(o.getFreedNegativeDentries()).isEqualTo(1_000_000L);
        assertThat(o.getFreedBytes()).as("memory.stat slab before minus after").isEqualTo(200_000_000L);
        assertThat(o.getDurationSeconds()).isEqualTo(0.8);
        assertThat(o.getFinishedAt()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(o.getMessage()).contains("memory.reclaim of kubepods.slice").contains("freed 1,000,000 negative dentries and 200.0 MB");
    }

    @Test
    void v2EagainWithSomethingFreedIsDoneAndSaysLessThanAsked() throws IOException {
        v2Memory(220_000_000L, 300_000_000L);
        ReclaimOutcome o = reclaimPod(reclaimer(true, (file, value) -> {
            negatives(150_000);
            v2Memory(25_000_000L, 120_000_000L);
            throw new IOException(CgroupReclaimer.EAGAIN);
        }));
        assertThat(o.getResult()).isEqualTo(ReclaimOutcome.Result.DONE);
        assertThat(o.getFreedNegativeDentries()).isEqualTo(950_000L);
        assertThat(o.getFreedBytes()).isEqualTo(195_000_000L);
        assertThat(o.getMessage()).contains("freed less than asked").contains("Resource temporarily unavailable");
    }

    @Test
    void anUncheckedErrorIsAnsweredFailedWithIt() throws IOException {
        v2Memory(220_000_000L, 300_000_000L);
        ReclaimOutcome o = reclaimPod(reclaimer(true, (file, value) -> {
            throw new IllegalStateException("no bytes written");
        }));
        assertThat(o.getResult()).isEqualTo(ReclaimOutcome.Result.FAILED);
        assertThat(o.getMessage()).contains("unexpected error").contains("no bytes written");
    }

    @Test
    void v2EagainWithNothingFreedFailed() throws IOException {
        v2Memory(220_000_000L, 300_000_000L);
        ReclaimOutcome o = reclaimPod(reclaimer(true, (file, value) -> {
            throw new IOException(CgroupReclaimer.EAGAIN);
        }));
        assertThat(o.getResult()).isEqualTo(ReclaimOutcome.Result.FAILED);
        assertThat(o.getFreedNegativeDentries()).isZero();
        assertThat(o.getFreedBytes()).isZero();
        assertThat(o.getMessage()).contains("failed").contains("Resource temporarily unavailable");
    }

    @Test
    void v2WithoutSlabInMemoryStatJudgesByMemoryCurrent() throws IOException {
        Files.writeString(pod.resolve("memory.stat"), "anon 0\nfile 0\n");
        Files.writeString(pod.resolve("memory.current"), "300000000\n");
        Files.writeString(pod.resolve("memory.reclaim"), "");
        ReclaimOutcome o = reclaimPod(reclaimer(true, (file, value) -> Files.writeString(pod.resolve("memory.current"), "100000000\n")));
        assertThat(o.getFreedBytes()).isEqualTo(200_000_000L);
    }

    @Test
    void v2PermissionDeniedFailsEvenIfOthersFreedMeanwhile() throws IOException {
        v2Memory(220_000_000L, 300_000_000L);
        ReclaimOutcome o = reclaimPod(reclaimer(true, (file, value) -> {
            negatives(1_000_000);
            throw new AccessDeniedException(file.toString());
        }));
        assertThat(o.getResult()).isEqualTo(ReclaimOutcome.Result.FAILED);
    }

    @Test
    void v1WritesZeroToForceEmpty() throws IOException {
        Files.writeString(pod.resolve("memory.kmem.usage_in_bytes"), "210000000\n");
        Files.writeString(pod.resolve("memory.force_empty"), "");
        ReclaimOutcome o = reclaimPod(reclaimer(false, (file, value) -> {
            negatives(100_000);
            Files.writeString(pod.resolve("memory.kmem.usage_in_bytes"), "9000000\n");
        }));
        assertThat(writes).singleElement().asString().endsWith("/memory.force_empty=0");
        assertThat(o.getResult()).isEqualTo(ReclaimOutcome.Result.DONE);
        assertThat(o.getFreedNegativeDentries()).isEqualTo(1_000_000L);
        assertThat(o.getFreedBytes()).isEqualTo(201_000_000L);
    }

    @Test
    void v1AWriteTheKernelRefusesFailed() throws IOException {
        Files.writeString(pod.resolve("memory.kmem.usage_in_bytes"), "210000000\n");
        Files.writeString(pod.resolve("memory.force_empty"), "");
        ReclaimOutcome o = reclaimPod(reclaimer(false, (file, value) -> {
            throw new java.nio.file.FileSystemException(file.toString(), null, "Device or resource busy");
        }));
        assertThat(o.getResult()).isEqualTo(ReclaimOutcome.Result.FAILED);
        assertThat(o.getMessage()).contains("writing memory.force_empty").contains("Device or resource busy");
    }

    @Test
    void v1ACgroupThatVanishedFailedWithoutAWrite() throws IOException {
        Files.delete(pod);
        ReclaimOutcome o = reclaimPod(reclaimer(false, CgroupReclaimer.KERNEL));
        assertThat(writes).isEmpty();
        assertThat(o.getResult()).isEqualTo(ReclaimOutcome.Result.FAILED);
        assertThat(o.getMessage()).contains("is gone");
    }

    @Test
    void v1AControlFileMissingIsNotCreated() throws IOException {
        Files.writeString(pod.resolve("memory.kmem.usage_in_bytes"), "210000000\n");
        ReclaimOutcome o = reclaimPod(reclaimer(false, CgroupReclaimer.KERNEL));
        assertThat(o.getResult()).isEqualTo(ReclaimOutcome.Result.FAILED);
        assertThat(o.getMessage()).contains("is gone (memory.force_empty missing)");
        assertThat(pod.resolve("memory.force_empty")).doesNotExist();
    }

    @Test
    void unreadableFiguresAreNullNotZero() throws IOException {
        Files.delete(proc.resolve("sys/fs/dentry-state"));
        Files.writeString(pod.resolve("memory.force_empty"), "");
        ReclaimOutcome o = reclaimPod(reclaimer(false, (file, value) -> { }));
        assertThat(o.getResult()).isEqualTo(ReclaimOutcome.Result.DONE);
        assertThat(o.getFreedNegativeDentries()).isNull();
        assertThat(o.getFreedBytes()).isNull();
        assertThat(o.getMessage()).contains("freed unknown negative dentries");
    }

    @Test
    void nodeWritesTwoToDropCachesAndMeasuresTheDentrySlab() throws IOException {
        ReclaimOutcome o = new CgroupReclaimer(new ProcFiles(proc), CgroupReclaimer.dropCaches(new ProcFiles(proc)), null, (file, value) -> {
            Files.writeString(file, value);
            negatives(10_000);
            layout.dentrySlab(60_000);
        }, CLOCK, nanos::get).reclaim(new ReclaimDecision.Perform("n1", Scope.NODE, null));
        assertThat(Files.readString(proc.resolve("sys/vm/drop_caches"))).isEqualTo("2");
        assertThat(o.getResult()).isEqualTo(ReclaimOutcome.Result.DONE);
        assertThat(o.getFreedNegativeDentries()).isEqualTo(1_090_000L);
        assertThat(o.getFreedBytes()).isEqualTo((1_150_000L - 60_000L) * 192);
    }

    @Test
    void nodeAReadOnlyProcSysFailed() throws IOException {
        ReclaimOutcome o = new CgroupReclaimer(new ProcFiles(proc), CgroupReclaimer.dropCaches(new ProcFiles(proc)), null, (file, value) -> {
            throw new java.nio.file.FileSystemException(file.toString(), null, "Read-only file system");
        }, CLOCK, nanos::get).reclaim(new ReclaimDecision.Perform("n1", Scope.NODE, null));
        assertThat(o.getResult()).isEqualTo(ReclaimOutcome.Result.FAILED);
        assertThat(o.getMessage()).contains("Read-only file system");
    }

    @Test
    void capabilitiesOnAWritableLayout() throws IOException {
        Files.writeString(pod.resolve("memory.reclaim"), "");
        Files.writeString(cgroupRoot.resolve("kubepods.slice/memory.reclaim"), "");
        Files.writeString(cgroupRoot.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        ProcFiles p = new ProcFiles(proc);
        assertThat(ReclaimCapabilityCheck.check(true, true, MemoryHierarchy.find(cgroupRoot), cgroupRoot, CgroupReclaimer.dropCaches(p)).scopes())
                .containsExactly(Scope.POD, Scope.NODE);
        ReclaimCapabilities off = ReclaimCapabilityCheck.check(false, false, MemoryHierarchy.find(cgroupRoot), cgroupRoot, CgroupReclaimer.dropCaches(p));
        assertThat(off.scopes()).isEmpty();
        assertThat(off.limits()).isEqualTo("Pod: off (--reclaim-pods not given); Node: off (--reclaim-node not given)");
        Files.delete(cgroupRoot.resolve("kubepods.slice/memory.reclaim"));
        assertThat(ReclaimCapabilityCheck.check(true, false, MemoryHierarchy.find(cgroupRoot), cgroupRoot, CgroupReclaimer.dropCaches(p)).limit(Scope.POD))
                .contains("no memory.reclaim").contains("5.19");
        assertThat(ReclaimCapabilityCheck.check(true, false, MemoryHierarchy.find(dir.resolve("none")), dir.resolve("none"), CgroupReclaimer.dropCaches(p))
                .limit(Scope.POD)).contains("no memory cgroup controller");
    }
}
