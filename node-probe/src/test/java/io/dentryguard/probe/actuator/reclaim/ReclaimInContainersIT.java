package io.dentryguard.probe.actuator.reclaim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dentryguard.api.testing.Podman;
import io.dentryguard.api.testing.RealApiServer;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.dentryguard.api.v1alpha1.ReclaimOutcome;
import io.dentryguard.api.v1alpha1.ReclaimRequest;
import io.dentryguard.probe.cli.ProbeProcess;
import io.dentryguard.probe.testing.KubeletCgroupTree;
import io.dentryguard.probe.testing.RealKernel;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reclaim rung with real containers (podman, runc, overlay, cgroup v1): a pod's container floods
 * a directory of its image and is removed, which frees none of its negative dentries (they hang off
 * the image's lower layer, charged to the pod's cgroup); the packaged probe, in a container locked
 * down as its DaemonSet runs it, takes the operator's request from the real API server and reclaims
 * the pod's cgroup in place. 1M negative dentries (~200 MB of slab) at most. Containers, images and
 * cgroups are removed afterwards, also when a test fails.
 */
class ReclaimInContainersIT {
    private static final String NAMESPACE = "dentry-guard";
    private static final String PROBE_ACCOUNT = "dentry-guard-probe";
    private static final String WORKLOADS = "default";
    private static final String QOS = "besteffort";
    private static final long FLOOD = 1_000_000;
    /** A directory of the image (its lower layer): the container's removal does not free a flood there. */
    private static final String IMAGE_DIRECTORY = "/usr/share";
    private static final String HOST_CGROUPS = "/host/sys/fs/cgroup";
    private static final Duration PROBE_READY = Duration.ofSeconds(90);
    private static final Duration ANSWER = Duration.ofSeconds(120);

    private static Podman podman;
    private static RealApiServer api;
    private static KubernetesClient operator;
    private static String image;

    @TempDir
    Path dir;
    private KubeletCgroupTree tree;

    @BeforeAll
    static void startServerAndBuildImage(@TempDir Path context) throws Exception {
        RealKernel.assumeRootOnLinux();
        RealKernel.assumeCountsNegatives();
        KubeletCgroupTree.assumeV1MemoryController();
        podman = Podman.create();
        podman.assumeBaseImage();
        Files.copy(ProbeProcess.jar(), context.resolve("dentry-guard.jar"));
        long started = System.nanoTime();
        image = podman.build(context, """
                FROM %s
                COPY dentry-guard.jar /opt/dentry-guard/dentry-guard.jar
                ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xmx64m", "-jar", "/opt/dentry-guard/dentry-guard.jar"]
                """.formatted(Podman.BASE_IMAGE), "dentry-guard-reclaim-it");
        System.out.printf("image %s built in %.1f s%n", image, (System.nanoTime() - started) / 1e9);

        api = RealApiServer.start();
        api.apply("deploy/rbac.yaml");
        // The policy that binds each probe to its own node: the probe's token below must pass it.
        api.apply("deploy/admission-policy.yaml");
        operator = api.clientAs(NAMESPACE, "dentry-guard-operator");
    }

    @AfterAll
    static void stopServerAndRemoveImage() {
        if (operator != null) {
            operator.close();
        }
        if (api != null) {
            api.close();
        }
        if (podman != null) {
            podman.close();
        }
    }

    @BeforeEach
    void kubeletsHierarchy() throws Exception {
        tree = KubeletCgroupTree.create("dentry-guard-podman-it");
        tree.qosClass(QOS);
    }

    @AfterEach
    void removeContainersThenCgroups() throws Exception {
        try {
            podman.removeContainers();
        } finally {
            tree.close();
        }
    }

    /** A pod bound to {@code node}, as the scheduler leaves it; its UID is the server's. */
    private static Pod pod(String namespace, String name, String node, String serviceAccount) {
        return api.client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName(node).withServiceAccountName(serviceAccount).addNewContainer().withName("main")
                .withImage(image).endContainer().endSpec().build()).create();
    }

    /**
     * The packaged probe in cluster mode, in a container as its DaemonSet runs it: read-only root, no
     * capabilities, no new privileges, the host's cgroup tree at /host/sys/fs/cgroup (writable only
     * for the reclaim rung), a tmpfs for its state, and a token bound to its own pod on {@code node}.
     * The host network reaches the test's API server. Returns the container's name once the probe
     * reports its capabilities in the NodeHealth.
     *
     * <p>Of the tree, the v1 memory controller is what the probe reads and writes, and it is mounted
     * itself: a bind of the whole /sys/fs/cgroup with {@code :ro} is recursive and makes only its top
     * (a tmpfs) read-only, and the controllers mounted below it stay writable (tried: root in such a
     * container wrote memory.force_empty).
     */
    private String startProbe(String node, boolean cgroupsWritable, Predicate<NodeHealthStatus> ready) throws Exception {
        api.node(node);
        String probePod = PROBE_ACCOUNT + "-" + node;
        pod(NAMESPACE, probePod, node, PROBE_ACCOUNT);
        Path kubeconfig = api.kubeconfigWithToken(dir.resolve("kubeconfig-" + node), PROBE_ACCOUNT,
                api.podBoundToken(NAMESPACE, PROBE_ACCOUNT, probePod));
        String name = podman.containerName("dentry-guard-probe");
        List<String> run = new ArrayList<>(List.of("run", "--detach", "--name", name,
                "--read-only", "--cap-drop=ALL", "--security-opt", "no-new-privileges", "--user", "0",
                "--volume", KubeletCgroupTree.MEMORY + ":" + HOST_CGROUPS + "/memory" + (cgroupsWritable ? ":rw" : ":ro"),
                "--tmpfs", "/var/lib/dentry-guard",
                "--network", "host",
                "--volume", kubeconfig + ":/etc/dentry-guard/kubeconfig:ro",
                "--env", "KUBECONFIG=/etc/dentry-guard/kubeconfig",
                "--env", "NODE_NAME=" + node,
                image,
                // No canary: its tree would be on the tmpfs, which keeps no negative dentries.
                "probe", "--report-node-health", "--reclaim-pods", "--cgroup-root", HOST_CGROUPS,
                "--json", "--interval", "1s", "--no-canary"));
        podman.require(run);
        awaitStatus(node, name, PROBE_READY, s -> s.getLastReportTime() != null && ready.test(s));
        return name;
    }

    /** The NodeHealth's status once {@code until} holds; else fails with the probe's log. */
    private NodeHealthStatus awaitStatus(String node, String probe, Duration atMost, Predicate<NodeHealthStatus> until) {
        try {
            return await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
                NodeHealth nh = api.client.resources(NodeHealth.class).withName(node).get();
                return nh == null ? null : nh.getStatus();
            }, s -> s != null && until.test(s));
        } catch (ConditionTimeoutException e) {
            // Its log without the JSON samples: what it said at start and about requests.
            List<String> said = podman.run("logs", probe).output().lines().filter(l -> !l.startsWith("{")).toList();
            throw new AssertionError("the probe on " + node + " did not get there in " + atMost + "; its log:\n"
                    + String.join("\n", said.subList(Math.max(0, said.size() - 40), said.size())), e);
        }
    }

    /** Writes spec.reclaim as the operator does (LadderWriter.request: a merge patch of that field, as its account). */
    private static String requestPodReclaim(String node, Pod pod) {
        ReclaimRequest request = new ReclaimRequest();
        request.setId(UUID.randomUUID().toString());
        request.setScope(ReclaimRequest.Scope.POD);
        request.setPodUid(pod.getMetadata().getUid());
        request.setPodNamespace(pod.getMetadata().getNamespace());
        request.setPodName(pod.getMetadata().getName());
        request.setRequestedAt(Instant.now().toString());
        NodeHealth target = new NodeHealth();
        target.getMetadata().setName(node);
        operator.resources(NodeHealth.class).resource(target).patch(PatchContext.of(PatchType.JSON_MERGE),
                Serialization.asJson(Map.of("spec", Map.of("reclaim", request))));
        return request.getId();
    }

    private ReclaimOutcome awaitAnswer(String node, String probe, String requestId) {
        return awaitStatus(node, probe, ANSWER, s -> s.getReclaimOutcome() != null && requestId.equals(s.getReclaimOutcome().getId()))
                .getReclaimOutcome();
    }

    private static long kmem(Path cgroup) throws Exception {
        return Long.parseLong(Files.readString(cgroup.resolve("memory.kmem.usage_in_bytes")).strip());
    }

    @Test
    void theLockedDownProbeReclaimsARemovedContainersFloodOfItsImageInPlace() throws Exception {
        String node = "podman-node";
        Pod flooder = pod(WORKLOADS, "flooder", node, "default");
        String podUid = flooder.getMetadata().getUid();
        String probe = startProbe(node, true, s -> s.getReclaimScopes() != null && s.getReclaimScopes().contains(ReclaimRequest.Scope.POD));
        // Measured with podman, the image and the probe warm: their own lookups are not counted as the flood's.
        long before = RealKernel.negativeDentries();

        // The flooder: a best-effort pod's container, laid out as kubelet's runtime does (cgroupfs driver).
        String container = podman.containerName("flooder");
        long floodStarted = System.nanoTime();
        String floodOutput = podman.require("run", "--name", container, "--cgroup-parent", tree.podParent(QOS, podUid),
                image, "flood", "--dir", IMAGE_DIRECTORY, "--count", String.valueOf(FLOOD));
        double floodSeconds = (System.nanoTime() - floodStarted) / 1e9;
        long afterFlood = RealKernel.negativeDentries();
        podman.require("rm", container);
        long afterRemoval = RealKernel.negativeDentries();
        Path podCgroup = tree.pod(QOS, podUid);
        long podKmemBeforeReclaim = kmem(podCgroup);
        long made = afterFlood - before;
        assertThat(made).as("the flood made most of its %,d negatives: %s", FLOOD, floodOutput).isGreaterThan(FLOOD * 8 / 10);
        assertThat(afterRemoval - before).as("the hard case: removing the container freed (almost) none of them").isGreaterThan(made * 9 / 10);
        assertThat(podKmemBeforeReclaim).as("still charged to the pod's cgroup").isGreaterThan(100_000_000L);

        long asked = System.nanoTime();
        ReclaimOutcome outcome = awaitAnswer(node, probe, requestPodReclaim(node, flooder));
        double answerSeconds = (System.nanoTime() - asked) / 1e9;
        long afterReclaim = RealKernel.negativeDentries();
        long podKmemAfterReclaim = kmem(podCgroup);
        System.out.printf("reclaim in containers: node nr_negative before flood %,d, after flood %,d (made %,d in %.1f s: %s), "
                        + "after the container's removal %,d, after reclaim %,d (%+.1f%% of before); pod kmem %,d -> %,d bytes; "
                        + "answer %s in %.1f s after the request: %s (reclaim %.3f s, freed %,d negatives, %,d bytes)%n",
                before, afterFlood, made, floodSeconds, floodOutput.strip(), afterRemoval, afterReclaim,
                100.0 * (afterReclaim - before) / before, podKmemBeforeReclaim, podKmemAfterReclaim, outcome.getResult(), answerSeconds,
                outcome.getMessage(), outcome.getDurationSeconds(), outcome.getFreedNegativeDentries(), outcome.getFreedBytes());

        assertThat(outcome.getResult()).as(outcome.getMessage()).isEqualTo(ReclaimOutcome.Result.DONE);
        assertThat(outcome.getFreedNegativeDentries()).as("at least 90%% of the flood's negatives").isGreaterThanOrEqualTo(made * 9 / 10);
        assertThat(outcome.getFreedBytes()).isGreaterThan(100_000_000L);
        assertThat(podKmemAfterReclaim).as("the pod's cgroup emptied of its charge").isLessThan(podKmemBeforeReclaim / 10);
        // Fewer than before is no failure: other work on the node may free its own meanwhile.
        assertThat(afterReclaim).as("the node's negative dentries back to within 10%% of %,d", before).isLessThanOrEqualTo(before + before / 10);
    }

    @Test
    void aProbeWithTheMemoryControllerMountedReadOnlyRefusesAndSaysWhy() throws Exception {
        String node = "podman-node-ro";
        Pod flooder = pod(WORKLOADS, "flooder-ro", node, "default");
        String probe = startProbe(node, false, s -> s.getReclaimLimits() != null && s.getReclaimLimits().contains("not writable"));

        ReclaimOutcome outcome = awaitAnswer(node, probe, requestPodReclaim(node, flooder));
        System.out.println("answer of a probe with the memory controller read-only: " + outcome.getResult() + ": " + outcome.getMessage());

        assertThat(outcome.getResult()).isEqualTo(ReclaimOutcome.Result.REFUSED);
        assertThat(outcome.getMessage()).contains("scope Pod is not available on this probe").contains("mounted read-only");
        assertThat(api.client.resources(NodeHealth.class).withName(node).get().getStatus().getReclaimScopes()).isEmpty();
    }
}
