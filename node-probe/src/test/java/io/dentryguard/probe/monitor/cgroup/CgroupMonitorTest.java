package io.dentryguard.probe.monitor.cgroup;

import static io.dentryguard.probe.monitor.cgroup.CgroupTrees.CID_A;
import static io.dentryguard.probe.monitor.cgroup.CgroupTrees.CID_B;
import static io.dentryguard.probe.monitor.cgroup.CgroupTrees.POD_A;
import static io.dentryguard.probe.monitor.cgroup.CgroupTrees.POD_B;
import static io.dentryguard.probe.monitor.cgroup.CgroupTrees.POD_G;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.dentryguard.probe.monitor.ProcFiles;
import io.dentryguard.probe.monitor.ProcFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupMonitorTest {
    @TempDir
    Path root;

    private static Map<String, CgroupMemory> byPath(CgroupSnapshot s) {
        return s.cgroups().stream().collect(Collectors.toMap(m -> m.identity().path(), Function.identity()));
    }

    /** A monitor on the tree at {@code root}: its hierarchy version checked, its first sample taken without problems. */
    private CgroupSnapshot firstSample(String version) throws Exception {
        try (CgroupMonitor monitor = CgroupMonitor.open(root, 6)) {
            assertThat(monitor.version()).isEqualTo(version);
            CgroupSnapshot s = monitor.sample();
            assertThat(s.problems()).isEmpty();
            return s;
        }
    }

    @Test
    void v2WithTheSystemdDriver() throws Exception {
        CgroupTrees.v2Systemd(root);
        CgroupSnapshot s = firstSample("v2");
        assertThat(s.cgroups()).extracting(m -> m.identity().kind(), m -> m.identity().podUid(), m -> m.identity().containerId(),
                m -> m.identity().qos(), CgroupMemory::kernelMemoryBytes)
                .containsExactlyInAnyOrder(
                        tuple(CgroupIdentity.Kind.HOST, null, null, null, 1_000_000L),
                        tuple(CgroupIdentity.Kind.HOST, null, null, null, 40_000_000L),
                        tuple(CgroupIdentity.Kind.HOST, null, null, null, 30_000_000L),
                        tuple(CgroupIdentity.Kind.HOST, null, null, null, 5_000_000L),
                        tuple(CgroupIdentity.Kind.POD, POD_A, null, "burstable", 600_000_000L),
                        tuple(CgroupIdentity.Kind.CONTAINER, POD_A, CID_A, "burstable", 590_000_000L),
                        tuple(CgroupIdentity.Kind.CONTAINER, POD_A, CID_B, "burstable", 9_000_000L),
                        tuple(CgroupIdentity.Kind.POD, POD_B, null, "besteffort", 20_000_000L),
                        tuple(CgroupIdentity.Kind.CONTAINER, POD_B, CID_B, "besteffort", 19_000_000L),
                        tuple(CgroupIdentity.Kind.POD, POD_G, null, "guaranteed", 3_000_000L));
        assertThat(byPath(s)).containsKeys("system.slice/containerd.service", "init.scope",
                "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + POD_A.replace('-', '_') + ".slice");
    }

    @Test
    void v1WithTheCgroupfsDriver() throws Exception {
        CgroupTrees.v1Cgroupfs(root);
        Map<String, CgroupMemory> m = byPath(firstSample("v1"));
        assertThat(m.get("kubepods/burstable/pod" + POD_A).kernelMemoryBytes()).isEqualTo(600_000_000L);
        assertThat(m.get("kubepods/burstable/pod" + POD_A + "/" + CID_A).identity().containerId()).isEqualTo(CID_A);
        assertThat(m.get("kubepods/pod" + POD_G).identity().qos()).isEqualTo("guaranteed");
        assertThat(m.get("kubepods/besteffort/pod" + POD_B).identity().qos()).isEqualTo("besteffort");
        assertThat(m.get("system.slice/docker.service").identity().kind()).isEqualTo(CgroupIdentity.Kind.HOST);
        assertThat(m).doesNotContainKeys("", "kubepods", "kubepods/burstable");
    }

    @Test
    void findsAKubeletNestedUnderAnotherCgroup() throws Exception {
        Path memory = Files.createDirectories(root.resolve("memory"));
        CgroupTrees.kmem(memory, "", 1);
        CgroupTrees.kmem(memory, "kubelet/kubepods/burstable/pod" + POD_A, 7);
        CgroupTrees.kmem(memory, "other/thing", 3);
        try (CgroupMonitor monitor = CgroupMonitor.open(root, 1)) {
            Map<String, CgroupMemory> m = byPath(monitor.sample());
            assertThat(m.get("kubelet/kubepods/burstable/pod" + POD_A).identity().podUid()).isEqualTo(POD_A);
            assertThat(m.get("other/thing").identity().kind()).isEqualTo(CgroupIdentity.Kind.HOST);
        }
    }

    @Test
    void containersAreReadAtRescansPodsEverySample() throws Exception {
        CgroupTrees.v2Systemd(root);
        String podA = "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + POD_A.replace('-', '_') + ".slice";
        try (CgroupMonitor monitor = CgroupMonitor.open(root, 3)) {
            monitor.sample();
            CgroupTrees.stat(root, podA, 800_000_000);
            CgroupTrees.stat(root, podA + "/cri-containerd-" + CID_A + ".scope", 790_000_000);
            Map<String, CgroupMemory> second = byPath(monitor.sample());
            assertThat(second.get(podA).kernelMemoryBytes()).isEqualTo(800_000_000L);
            assertThat(second.get(podA + "/cri-containerd-" + CID_A + ".scope").kernelMemoryBytes()).isEqualTo(590_000_000L);
            monitor.sample();
            Map<String, CgroupMemory> rescanned = byPath(monitor.sample());
            assertThat(rescanned.get(podA + "/cri-containerd-" + CID_A + ".scope").kernelMemoryBytes()).isEqualTo(790_000_000L);
        }
    }

    @Test
    void aNewPodIsFoundAtTheNextRescanAndAnEndedOneForgotten() throws Exception {
        CgroupTrees.v2Systemd(root);
        String podB = "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + POD_B.replace('-', '_') + ".slice";
        String newPod = "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
                + "99999999_8888_7777_6666_555555555555.slice";
        try (CgroupMonitor monitor = CgroupMonitor.open(root, 1)) {
            monitor.sample();
            CgroupTrees.stat(root, newPod, 1234);
            try (var walk = Files.walk(root.resolve(podB))) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
            CgroupSnapshot s = monitor.sample();
            assertThat(s.problems()).isEmpty();
            assertThat(byPath(s)).containsKey(newPod).doesNotContainKeys(podB, podB + "/crio-" + CID_B + ".scope");
            assertThat(byPath(s).get(newPod).identity().podUid()).isEqualTo("99999999-8888-7777-6666-555555555555");
        }
    }

    @Test
    void aCgroupThatVanishesIsDroppedWithoutNoise() throws Exception {
        CgroupTrees.v2Systemd(root);
        String podB = "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + POD_B.replace('-', '_') + ".slice";
        // listed, but its files are gone by the time they are read (the pod ended in between)
        Files.delete(root.resolve(podB).resolve("memory.stat"));
        try (CgroupMonitor monitor = CgroupMonitor.open(root, 1)) {
            CgroupSnapshot s = monitor.sample();
            assertThat(s.problems()).isEmpty();
            assertThat(byPath(s)).doesNotContainKey(podB).containsKey(podB + "/crio-" + CID_B + ".scope");
        }
    }

    @Test
    void anUnreadableCgroupIsAProblemNamedOnceNotACrash() throws Exception {
        CgroupTrees.v2Systemd(root);
        String podG = "kubepods.slice/kubepods-pod" + POD_G.replace('-', '_') + ".slice";
        Files.delete(root.resolve(podG).resolve("memory.stat"));
        Files.createDirectory(root.resolve(podG).resolve("memory.stat"));
        Files.writeString(root.resolve("user.slice/memory.stat"), "anon 1\nslab_reclaimable lots\n");
        try (CgroupMonitor monitor = CgroupMonitor.open(root, 1)) {
            CgroupSnapshot s = monitor.sample();
            assertThat(s.problems()).hasSize(2);
            assertThat(s.problems()).anyMatch(p -> p.startsWith(podG + "/memory.stat: "));
            assertThat(s.problems()).contains("user.slice/memory.stat: slab_reclaimable is not a byte count: 'lots'");
            assertThat(byPath(s)).doesNotContainKeys(podG, "user.slice").hasSize(8);
        }
    }

    @Test
    void noMemoryControllerIsAClearError() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpu io pids\n");
        assertThatThrownBy(() -> CgroupMonitor.open(root, 1)).isInstanceOf(ProcFiles.UnreadableException.class)
                .hasMessageStartingWith("no memory cgroup controller under " + root);
    }

    @Test
    void formats() throws Exception {
        assertThat(CgroupMemoryFormat.parseV1("x", "12000000000\n")).isEqualTo(12_000_000_000L);
        assertThat(CgroupMemoryFormat.parseV2("x", CgroupTrees.memoryStat(4096))).isEqualTo(4096);
        assertThatThrownBy(() -> CgroupMemoryFormat.parseV1("x", "")).isInstanceOf(ProcFormatException.class);
        assertThatThrownBy(() -> CgroupMemoryFormat.parseV1("x", "-1")).hasMessageContaining("not a byte count");
        assertThatThrownBy(() -> CgroupMemoryFormat.parseV2("x", "anon 1\nfile 2\n")).hasMessage("x/memory.stat: no slab_reclaimable line");
        assertThat(CgroupMemoryFormat.parseV2("x", "slab_reclaimable 12")).isEqualTo(12);
    }
}
