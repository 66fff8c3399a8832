package io.dentryguard.demo.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a pod spec becomes {@code podman run} arguments (no podman needed). */
class PodmanRunArgsTest {
    private static final String UID = "0b7c1e2a-1111-2222-3333-444455556666";

    private static Pod pod() {
        return TestPods.bash("victim-abc12", "echo hi").editMetadata().withUid(UID).endMetadata().editSpec()
                .addNewVolume().withName("jar").withNewHostPath().withPath("/work/probe.jar").endHostPath().endVolume()
                .addNewVolume().withName("scratch").withNewHostPath().withPath("/var/tmp/s").endHostPath().endVolume()
                .editFirstContainer().addNewEnv().withName("MODE").withValue("walk").endEnv()
                .addNewVolumeMount().withName("jar").withMountPath("/opt/probe.jar").withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("scratch").withMountPath("/scratch").endVolumeMount()
                .endContainer().endSpec().build();
    }

    @Test
    void thePodRunsInItsBestEffortPodCgroupUnderTheKubeletsContainerNameWithTheRunsLabels() {
        List<String> args = PodmanRunArgs.of(pod(), "run-1");

        assertThat(args).containsSequence("run", "--detach", "--name", "k8s_main_victim-abc12_default_" + UID)
                .contains("--cgroup-parent=/kubepods/besteffort/pod" + UID)
                .containsSequence("--network", "none")
                .containsSequence("--label", "io.dentryguard.demo.run=run-1")
                .containsSequence("--label", "io.kubernetes.pod.uid=" + UID);
    }

    @Test
    void commandBecomesTheEntryPointAndArgsFollowTheImage() {
        List<String> args = PodmanRunArgs.of(pod(), "run-1");

        assertThat(args).contains("--entrypoint=[\"bash\",\"-c\"]").endsWith("localhost/jre-base:17", "echo hi");
    }

    @Test
    void envValuesAndHostPathMountsAreGivenReadOnlyWhereTheMountSays() {
        List<String> args = PodmanRunArgs.of(pod(), "run-1");

        assertThat(args).containsSequence("--env", "MODE=walk")
                .containsSequence("--volume", "/work/probe.jar:/opt/probe.jar:ro")
                .containsSequence("--volume", "/var/tmp/s:/scratch");
    }

    @Test
    void whatCannotBeRunAsAskedIsRefusedSayingWhat() {
        Pod emptyDir = TestPods.bash("p", "true").editSpec().addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .editFirstContainer().addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount().endContainer().endSpec().build();
        Pod withLimits = TestPods.bash("p", "true").editSpec().editFirstContainer().withNewResources()
                .withLimits(Map.of("memory", new Quantity("1Gi"))).endResources().endContainer().endSpec().build();
        Pod fromSecret = TestPods.bash("p", "true").editSpec().editFirstContainer().addNewEnv().withName("TOKEN").withNewValueFrom()
                .withNewSecretKeyRef().withName("s").withKey("k").endSecretKeyRef().endValueFrom().endEnv().endContainer().endSpec().build();

        assertThatThrownBy(() -> PodmanRunArgs.of(emptyDir, "r")).hasMessageContaining("volume tmp is not a hostPath");
        assertThatThrownBy(() -> PodmanRunArgs.of(withLimits, "r")).hasMessageContaining("only BestEffort pods");
        assertThatThrownBy(() -> PodmanRunArgs.of(fromSecret, "r")).hasMessageContaining("env TOKEN takes its value from a reference");
    }
}
