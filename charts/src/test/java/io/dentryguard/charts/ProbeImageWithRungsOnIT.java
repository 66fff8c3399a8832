package io.dentryguard.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dentryguard.api.testing.Podman;
import io.dentryguard.api.testing.PodmanRunFromPodSpec;
import io.dentryguard.probe.testing.KubeletCgroupTree;
import io.dentryguard.probe.testing.ProbeImage;
import io.dentryguard.probe.testing.RealKernel;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The counterpart of node-probe's ProbeImageIT (the chart's defaults: read-only mounts, every
 * reclaim refused): the chart rendered with the remediation rungs on ({@code remediation.reclaimPods}
 * and {@code remediation.reclaimNode}), its probe container run for real with podman under exactly
 * those settings ({@link ProbeImage}, {@link PodmanRunFromPodSpec}): still no capability, seccomp,
 * no new privileges, a read-only root; only the host cgroup mount writable and /proc/sys/vm
 * mounted writable. There, {@code dentry-guard reclaim}, exec'd in the running probe container,
 * must do what the rungs need: empty a flooded kubelet-style pod cgroup of its negative dentries,
 * and drop the node's caches. Least privilege, proven: the rungs work with nothing more than the
 * chart grants. A flood of 500,000 names; containers, cgroups and directories are removed
 * afterwards, also when the test fails.
 */
class ProbeImageWithRungsOnIT {
    private static final String NODE = "image-rungs-it-node";
    private static final String QOS = ProbeImage.QOS;
    private static final long FLOOD = 500_000;
    private static final double FREED_AT_LEAST = 0.9;
    private static final Duration START = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProbeImage probeImage;
    private KubeletCgroupTree tree;

    @BeforeEach
    void renderedWithTheRungsOn() throws Exception {
        String rendered = Chart.template().set("remediation.reclaimPods", true).set("remediation.reclaimNode", true).call();
        DaemonSet daemonSet = StrictObjects.one(StrictObjects.parse(rendered), DaemonSet.class, Chart.PROBE_ACCOUNT);
        probeImage = ProbeImage.of(daemonSet.getSpec().getTemplate(),
                new PodmanRunFromPodSpec.Downward(NODE, "dentry-guard-probe-x1", Chart.NAMESPACE), "probe-image-rungs-it");
        tree = probeImage.pods();
        System.out.println("the chart rendered with remediation.reclaimPods=true, remediation.reclaimNode=true: " + probeImage.describe());
    }

    @AfterEach
    void removeContainersCgroupsAndDirectories() throws Exception {
        if (probeImage != null) {
            probeImage.close();
        }
    }

    @Test
    void reclaimsAFloodedPodAndTheNodeUnderTheRenderedSettings() throws Exception {
        Podman podman = probeImage.podman();
        String probe = podman.containerName("dentry-guard-probe-rungs-it");
        podman.require(probeImage.runCommand(probe, true, probeImage.standalone("--json", "--interval", "1s")));
        await().atMost(START).pollInterval(Duration.ofMillis(500))
                .until(() -> podman.logs(probe).lines().anyMatch(l -> l.startsWith("{")));
        Podman.Confinement confinement = podman.confinement(probe);

        // The flooder: a best-effort pod's container, laid out as kubelet's runtime does (cgroupfs driver).
        String podUid = UUID.randomUUID().toString();
        Files.createDirectories(tree.pod(QOS, podUid));
        String flooder = podman.containerName("dentry-guard-flooder-rungs-it");
        long before = RealKernel.negativeDentries();
        podman.require("run", "--detach", "--name", flooder, "--cgroup-parent", tree.podParent(QOS, podUid), probeImage.image(),
                "flood", "--dir", "/usr/share", "--count", String.valueOf(FLOOD));
        assertThat(podman.require("wait", flooder).strip()).as("the flood's exit code: %s", podman.logs(flooder)).isEqualTo("0");
        long flooded = RealKernel.negativeDentries();
        long added = flooded - before;

        String cgroupRoot = probeImage.specArgument("--cgroup-root", "/sys/fs/cgroup");
        long podStarted = System.nanoTime();
        Podman.Run pod = podman.run(exec(probe, "reclaim", "--pod-uid", podUid, "--cgroup-root", cgroupRoot, "--json"));
        double podSeconds = (System.nanoTime() - podStarted) / 1e9;
        long afterPod = RealKernel.negativeDentries();
        long freed = flooded - afterPod;

        String procSysVm = probeImage.specArgument("--proc-sys-vm", "/proc/sys/vm");
        long nodeStarted = System.nanoTime();
        Podman.Run node = podman.run(exec(probe, "reclaim", "--node", "--proc-sys-vm", procSysVm, "--json"));
        double nodeSeconds = (System.nanoTime() - nodeStarted) / 1e9;
        long afterNode = RealKernel.negativeDentries();

        System.out.printf("rungs on: %s; flood of %,d names in pod %s: node-wide nr_negative %,d -> %,d (+%,d); "
                        + "reclaim --pod-uid (%.1f s): exit %d: %s; nr_negative -> %,d: freed %,d (%.1f%% of the flood's); "
                        + "reclaim --node (%.1f s): exit %d: %s; nr_negative -> %,d%n",
                confinement, FLOOD, podUid, before, flooded, added, podSeconds, pod.exitCode(), pod.output().strip(), afterPod, freed,
                added > 0 ? 100.0 * freed / added : Double.NaN, nodeSeconds, node.exitCode(), node.output().strip(), afterNode);

        // the same confinement as with the rungs off: the rungs add writable mounts, nothing else
        assertThat(confinement.uid()).isEqualTo("0 0 0 0");
        assertThat(confinement.effectiveCapabilities()).isEqualTo("0000000000000000");
        assertThat(confinement.noNewPrivileges()).isTrue();
        assertThat(confinement.seccompFilter()).isTrue();
        assertThat(confinement.rootReadOnly()).isTrue();

        assertThat(added).as("the flood made negative dentries").isGreaterThan(FLOOD / 2);
        assertThat(pod.exitCode()).as(pod.output()).isZero();
        assertThat(outcome(pod).path("result").asText()).as(pod.output()).isEqualTo("Done");
        assertThat(freed).as("freed at least %.0f%% of the flood's %,d negative dentries", FREED_AT_LEAST * 100, added)
                .isGreaterThanOrEqualTo((long) (added * FREED_AT_LEAST));
        assertThat(node.exitCode()).as(node.output()).isZero();
        assertThat(outcome(node).path("result").asText()).as(node.output()).isEqualTo("Done");
    }

    /** {@code podman exec} of the image's launcher (its entry point) in {@code container}. */
    private static List<String> exec(String container, String... args) {
        List<String> command = new ArrayList<>(List.of("exec", container, ProbeImage.LAUNCHER));
        command.addAll(List.of(args));
        return command;
    }

    /** The JSON outcome: the last line of the output that is a JSON object. */
    private static JsonNode outcome(Podman.Run run) throws IOException {
        String line = run.output().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no JSON outcome in: " + run.output()));
        return JSON.readTree(line);
    }
}
