package io.dentryguard.probe.actuator.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodCgroupsTest {
    private static final String UID = "3f2b8c1e-7a4d-4e5f-9b6a-0c1d2e3f4a5b";
    private static final String OTHER = "11111111-2222-4333-8444-555555555555";

    @TempDir
    Path root;

    @Test
    void findsACgroupfsPodUnderItsQosClass() throws Exception {
        Path pod = Files.createDirectories(root.resolve("kubepods/burstable/pod" + UID));
        Files.createDirectories(pod.resolve("0123456789abcdef0123"));
        Files.createDirectories(root.resolve("kubepods/besteffort/pod" + OTHER));
        assertThat(new PodCgroups(root).find(UID)).contains(pod);
        assertThat(new PodCgroups(root).find(OTHER)).contains(root.resolve("kubepods/besteffort/pod" + OTHER));
    }

    @Test
    void findsAGuaranteedPodDirectlyUnderKubepods() throws Exception {
        Path pod = Files.createDirectories(root.resolve("kubepods/pod" + UID));
        assertThat(new PodCgroups(root).find(UID)).contains(pod);
    }

    @Test
    void findsASystemdPodWithUnderscoresInItsName() throws Exception {
        Path pod = Files.createDirectories(root.resolve("kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
                + UID.replace('-', '_') + ".slice"));
        Files.createDirectories(pod.resolve("cri-containerd-0123456789abcdef.scope"));
        assertThat(new PodCgroups(root).find(UID)).contains(pod);
    }

    @Test
    void findsAPodUnderANestedKubeletRoot() throws Exception {
        Path pod = Files.createDirectories(root.resolve("kind-node/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/"
                + "kubelet-kubepods-besteffort-pod" + UID.replace('-', '_') + ".slice"));
        assertThat(new PodCgroups(root).find(UID)).contains(pod);
    }

    @Test
    void aUidNotOnThisNodeIsNotFound() throws Exception {
        Files.createDirectories(root.resolve("kubepods/burstable/pod" + OTHER));
        assertThat(new PodCgroups(root).find(UID)).isEmpty();
    }

    @Test
    void aPodNamedDirectoryOutsideTheKubeletHierarchyIsNotTaken() throws Exception {
        Files.createDirectories(root.resolve("system.slice/pod" + UID));
        Files.createDirectories(root.resolve("pod" + UID));
        assertThat(new PodCgroups(root).find(UID)).isEmpty();
    }

    @Test
    void aMissingRootFindsNothing() {
        assertThat(new PodCgroups(root.resolve("absent")).find(UID)).isEmpty();
    }
}
