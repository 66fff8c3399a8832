package io.dentryguard.demo.kubelet;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dentryguard.api.testing.Podman;
import io.dentryguard.api.testing.RealApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * A {@link PodmanPodRuntime} of its own run for one test, and what tests look at: podman (the api
 * test jar's, which skips the test, saying why, where it cannot run) and the cgroup tree. Skips
 * where the cgroup v1 memory controller is missing, as the pod cgroups are checked there.
 */
final class PodmanRuntimeFixture implements AutoCloseable {
    static final Path CGROUPS = Path.of("/sys/fs/cgroup");
    final Podman podman;
    final PodmanPodRuntime runtime;
    final PodCgroups cgroups = new PodCgroups(CGROUPS);
    private StandInKubelet kubelet;

    PodmanRuntimeFixture() {
        podman = Podman.create();
        podman.assumeBaseImage();
        assumeTrue(Files.exists(CGROUPS.resolve("memory/memory.kmem.usage_in_bytes")),
                "needs the cgroup v1 memory controller (/sys/fs/cgroup/memory): pod cgroups are checked there");
        runtime = new PodmanPodRuntime(RealApiServer.checkoutRoot().resolve("tools/images/containers.conf"),
                "test-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** A kubelet for {@code node} on this runtime, stopped on close before the runtime's containers are removed. */
    StandInKubelet kubelet(io.fabric8.kubernetes.client.KubernetesClient client, String node) {
        kubelet = new StandInKubelet(client, node, runtime);
        return kubelet;
    }

    /** Ids of the containers with this run's label, running or not. */
    List<String> containersOfRun() {
        return podman.require("ps", "--all", "--quiet", "--filter", "label=" + PodmanRunArgs.RUN_LABEL + "=" + runtime.runId())
                .lines().filter(l -> !l.isBlank()).toList();
    }

    List<Path> podCgroupDirectories(String podUid) {
        return cgroups.directories(PodmanRunArgs.cgroupParent(podUid));
    }

    Path memoryCgroup(String podUid) {
        return cgroups.memory(PodmanRunArgs.cgroupParent(podUid));
    }

    long kmemBytes(String podUid) throws java.io.IOException {
        return Long.parseLong(Files.readString(memoryCgroup(podUid).resolve("memory.kmem.usage_in_bytes")).strip());
    }

    @Override
    public void close() {
        try {
            if (kubelet != null) {
                kubelet.close();
            }
            runtime.close();
        } finally {
            podman.close();
        }
    }
}
