package io.dentryguard.demo.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.Closeable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PodmanPodRuntime} with real podman containers in kubelet-style pod cgroups (root, cgroup v1). */
class PodmanPodRuntimeTest {
    private PodmanRuntimeFixture fixture;

    @BeforeEach
    void runtime() {
        fixture = new PodmanRuntimeFixture();
    }

    @AfterEach
    void removeAll() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private List<String> linesOf(String podUid) {
        List<String> lines = new CopyOnWriteArrayList<>();
        fixture.runtime.followLogs(podUid, lines::add);
        return lines;
    }

    @Test
    void startRunsTheContainerInItsBestEffortPodCgroupWithTheKubeletsName() {
        Pod pod = TestPods.bash("sleeper", "sleep infinity").build();
        String uid = pod.getMetadata().getUid();

        String id = fixture.runtime.start(pod);

        assertThat(fixture.runtime.isRunning(uid)).isTrue();
        assertThat(fixture.memoryCgroup(uid)).isEqualTo(Path.of("/sys/fs/cgroup/memory/kubepods/besteffort/pod" + uid));
        assertThat(fixture.memoryCgroup(uid).resolve("libpod-" + id)).isDirectory();
        assertThat(fixture.podman.require("inspect", "--format", "{{.Name}}", id).strip()).isEqualTo("k8s_main_sleeper_default_" + uid);
    }

    @Test
    void aHostPathVolumeIsMountedReadOnlyWhereItsMountSaysSo(@TempDir Path host) throws Exception {
        Files.writeString(host.resolve("hello"), "from the host");
        Pod pod = TestPods.bash("reader", "cat /data/hello; echo; touch /data/new 2>&1; sleep infinity").editSpec()
                .addNewVolume().withName("data").withNewHostPath().withPath(host.toString()).endHostPath().endVolume()
                .editFirstContainer().addNewVolumeMount().withName("data").withMountPath("/data").withReadOnly(true).endVolumeMount()
                .endContainer().endSpec().build();
        String uid = pod.getMetadata().getUid();

        fixture.runtime.start(pod);
        List<String> lines = linesOf(uid);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(lines)
                .contains("from the host").anyMatch(l -> l.contains("Read-only file system")));
        assertThat(host.resolve("new")).doesNotExist();
    }

    @Test
    void followLogsDeliversTheVictimsLoopLinesAndEndsWhenThePodIsRemoved() {
        Pod pod = TestPods.bash("victim", TestPods.VICTIM).build();
        String uid = pod.getMetadata().getUid();
        fixture.runtime.start(pod);
        List<String> lines = new CopyOnWriteArrayList<>();
        Closeable follower = fixture.runtime.followLogs(uid, lines::add);

        await().atMost(Duration.ofSeconds(30)).until(() -> lines.size() >= 3);
        assertThat(lines).allMatch(l -> l.matches("loop_us \\d+"));

        fixture.runtime.remove(uid);
        await().atMost(Duration.ofSeconds(15)).until(() -> !((LogFollower) follower).isAlive());
    }

    @Test
    void removeTakesAwayTheContainerAndThePodCgroupInEveryController() {
        Pod pod = TestPods.bash("evicted", "sleep infinity").build();
        String uid = pod.getMetadata().getUid();
        fixture.runtime.start(pod);
        assertThat(fixture.podCgroupDirectories(uid)).extracting(d -> d.getName(3).toString())
                .contains("memory", "freezer", "pids", "cpu", "blkio");

        fixture.runtime.remove(uid);

        assertThat(fixture.containersOfRun()).isEmpty();
        assertThat(fixture.podCgroupDirectories(uid)).isEmpty();
        assertThat(fixture.runtime.isRunning(uid)).isFalse();
    }

    @Test
    void pauseStopsTheFloodersKernelMemoryGrowingAndUnpauseLetsItGrowAgain() throws Exception {
        Pod pod = TestPods.bash("offender", TestPods.FLOODER).build();
        String uid = pod.getMetadata().getUid();
        fixture.runtime.start(pod);
        long started = fixture.kmemBytes(uid);
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.kmemBytes(uid) > started + 8_000_000);

        fixture.runtime.pause(uid);
        assertThat(fixture.runtime.isRunning(uid)).isFalse();
        long paused = fixture.kmemBytes(uid);
        // Frozen: no more names; a little slack for what the kernel settles after the freeze.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> fixture.kmemBytes(uid) < paused + 1_000_000);

        fixture.runtime.unpause(uid);
        assertThat(fixture.runtime.isRunning(uid)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.kmemBytes(uid) > paused + 8_000_000);
    }

    @Test
    void closeLeavesNoContainerOfTheRunAndNoCgroupItCreated() throws Exception {
        boolean kubepodsExisted = fixture.cgroups.exists("/kubepods");
        Pod flooder = TestPods.bash("offender", TestPods.FLOODER).build();
        Pod evicted = TestPods.bash("evicted", "sleep infinity").build();
        fixture.runtime.start(flooder);
        fixture.runtime.start(evicted);
        fixture.runtime.remove(evicted.getMetadata().getUid());
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.kmemBytes(flooder.getMetadata().getUid()) > 8_000_000);

        fixture.runtime.close();

        assertThat(fixture.containersOfRun()).isEmpty();
        assertThat(fixture.podCgroupDirectories(flooder.getMetadata().getUid())).isEmpty();
        if (!kubepodsExisted) {
            assertThat(fixture.cgroups.directories("/kubepods")).as("/kubepods, made by this run").isEmpty();
        }
    }

    @Test
    void aContainerThatCannotStartFailsWithWhatPodmanSaid() {
        Pod pod = TestPods.bash("missing-image", "true").editSpec().editFirstContainer().withImage("localhost/no-such-image:1")
                .endContainer().endSpec().build();

        assertThatThrownBy(() -> fixture.runtime.start(pod)).hasMessageContaining("podman run")
                .hasMessageContaining("localhost/no-such-image:1");
        assertThat(fixture.runtime.isRunning(pod.getMetadata().getUid())).isFalse();
    }
}
