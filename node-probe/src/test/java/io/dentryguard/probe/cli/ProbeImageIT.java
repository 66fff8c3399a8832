package io.dentryguard.probe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dentryguard.api.testing.Podman;
import io.dentryguard.api.testing.PodmanRunFromPodSpec;
import io.dentryguard.api.testing.RealApiServer;
import io.dentryguard.probe.testing.KubeletCgroupTree;
import io.dentryguard.probe.testing.ProbeImage;
import io.dentryguard.probe.testing.RealKernel;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rendered DaemonSet, run for real: the probe's container spec is read from the chart rendered
 * with defaults (deploy/dentry-guard.yaml) and the
 * image is run with podman under exactly those settings ({@link PodmanRunFromPodSpec}: user,
 * capabilities, seccomp, read-only root, host mounts and their read-only flags, the empty dir). Run
 * standalone: the spec's arguments without those that need an API server. There the probe must
 * measure (slab figures, the bucket count from the sizing rule, since the kernel log is not
 * readable), name a flooding pod-like container in a kubelet-style cgroup (High), and refuse, with
 * its reason, the writes the spec does not allow. Floods of 1M names at most; containers, cgroups
 * and directories are removed afterwards, also when a test fails.
 */
class ProbeImageIT {
    private static final String RENDERED = "deploy/dentry-guard.yaml";
    private static final String NODE = "image-it-node";
    private static final String QOS = ProbeImage.QOS;
    private static final long FLOOD = 1_000_000;
    private static final String STATE_DIR = "/var/lib/dentry-guard";
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration NAMED = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProbeImage probeImage;
    private Podman podman;
    private KubeletCgroupTree tree;
    private Path scratch;
    private PodmanRunFromPodSpec run;
    private String image;

    @BeforeEach
    void renderedSettings() throws Exception {
        probeImage = ProbeImage.of(probeDaemonSet().getSpec().getTemplate(),
                new PodmanRunFromPodSpec.Downward(NODE, "dentry-guard-probe-x1", "dentry-guard"), "probe-image-it");
        podman = probeImage.podman();
        image = probeImage.image();
        scratch = probeImage.scratch();
        run = probeImage.run();
        tree = probeImage.pods();
        System.out.println(probeImage.describe());
    }

    @AfterEach
    void removeContainersCgroupsAndDirectories() throws Exception {
        if (probeImage != null) {
            probeImage.close();
        }
    }

    /** The probe's DaemonSet of deploy/dentry-guard.yaml, the chart rendered with its defaults. */
    private static DaemonSet probeDaemonSet() throws IOException {
        String yaml = Files.readString(RealApiServer.checkoutRoot().resolve(RENDERED));
        List<DaemonSet> found = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                continue;
            }
            GenericKubernetesResource object = Serialization.unmarshal(document, GenericKubernetesResource.class);
            if ("DaemonSet".equals(object.getKind())) {
                DaemonSet ds = Serialization.unmarshal(document, DaemonSet.class);
                if (ds.getSpec().getTemplate().getSpec().getContainers().stream().anyMatch(c -> ProbeImage.CONTAINER.equals(c.getName()))) {
                    found.add(ds);
                }
            }
        }
        assertThat(found).as("one DaemonSet with a container named %s", ProbeImage.CONTAINER).hasSize(1);
        return found.get(0);
    }

    private List<String> standalone(String... extra) {
        return probeImage.standalone(extra);
    }

    private String specArgument(String option, String byDefault) {
        return probeImage.specArgument(option, byDefault);
    }

    private List<String> podmanRun(List<String> podmanOptions, String name, boolean detach, List<String> args) {
        return probeImage.runCommand(podmanOptions, name, detach, args);
    }

    private List<JsonNode> samples(String probe) throws IOException {
        List<JsonNode> samples = new ArrayList<>();
        for (String line : podman.logs(probe).lines().filter(l -> l.startsWith("{")).toList()) {
            samples.add(JSON.readTree(line));
        }
        return samples;
    }

    /** The first sample {@code until} accepts; else fails with the probe's log (its samples left out). */
    private JsonNode awaitSample(String probe, Duration atMost, Predicate<JsonNode> until) {
        try {
            return await().atMost(atMost).pollInterval(Duration.ofMillis(500))
                    .until(() -> samples(probe).stream().filter(until).findFirst(), Optional::isPresent).orElseThrow();
        } catch (ConditionTimeoutException e) {
            String log = podman.logs(probe);
            List<String> said = log.lines().filter(l -> !l.startsWith("{")).toList();
            String last = log.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("(no sample)");
            throw new AssertionError("the probe did not get there in " + atMost + "; it said:\n" + String.join("\n", said)
                    + "\nits last sample: " + last, e);
        }
    }

    @Test
    void measuresAndNamesAFloodingPodUnderTheRenderedSettings() throws Exception {
        String probe = podman.containerName("dentry-guard-probe-image-it");
        long started = System.nanoTime();
        podman.require(podmanRun(run.options(), probe, true, standalone("--json", "--interval", "1s")));
        JsonNode first = awaitSample(probe, START, s -> true);
        double firstSeconds = (System.nanoTime() - started) / 1e9;
        String[] slabinfo = Files.readAllLines(Path.of("/proc/slabinfo")).stream().filter(l -> l.startsWith("dentry ")).findFirst()
                .orElseThrow().split("\\s+");
        long hostObjects = Long.parseLong(slabinfo[2]);
        long hostObjectSize = Long.parseLong(slabinfo[3]);
        Podman.Confinement confinement = podman.confinement(probe);

        // The flooder: a best-effort pod's container, laid out as kubelet's runtime does (cgroupfs driver).
        String podUid = UUID.randomUUID().toString();
        String flooder = podman.containerName("dentry-guard-flooder-image-it");
        // The pod's cgroup exists before its container floods, as the kubelet makes it; the probe finds new
        // cgroups at its rescans (every 6th sample), so let one pass: a cgroup first seen already holding a
        // flood is judged "held before the probe saw it", Medium at most.
        Files.createDirectories(tree.pod(QOS, podUid));
        int samplesBefore = samples(probe).size();
        await().atMost(START).pollInterval(Duration.ofMillis(500)).until(() -> samples(probe).size() >= samplesBefore + 7);
        long floodStarted = System.nanoTime();
        podman.require("run", "--detach", "--name", flooder, "--cgroup-parent", tree.podParent(QOS, podUid), image,
                "flood", "--dir", "/usr/share", "--count", String.valueOf(FLOOD));
        JsonNode named = awaitSample(probe, NAMED, s -> offender(s, podUid).map(o -> o.path("confidence").asText().equals("High")).orElse(false));
        double namedSeconds = (System.nanoTime() - floodStarted) / 1e9;
        assertThat(podman.require("wait", flooder).strip()).as("the flood's exit code: %s", podman.logs(flooder)).isEqualTo("0");
        JsonNode offender = offender(named, podUid).orElseThrow();
        Path emptyDir = run.made().stream().filter(p -> p.startsWith(scratch)).findFirst().orElseThrow();

        System.out.printf("probe image: first sample after %.1f s: %s buckets (%s), slab %s dentry objects of %s bytes (host %,d of %d), node %s; "
                        + "%s; flood of %,d names: pod %s named after %.1f s: %s, share %.2f, kernel memory %,d bytes (%s); "
                        + "its empty dir holds %s%n",
                firstSeconds, first.path("hashBuckets"), first.path("hashBucketsSource").asText(), first.at("/slab/dentryObjects"),
                first.at("/slab/dentryObjectSizeBytes"), hostObjects, hostObjectSize, first.path("node").asText(), confinement, FLOOD,
                podUid, namedSeconds, offender.path("confidence").asText(), offender.path("share").asDouble(),
                offender.path("kernelMemoryBytes").asLong(), offender.path("reason").asText(), list(emptyDir));

        assertThat(confinement.uid()).as("the JVM runs as the spec's user").isEqualTo("0 0 0 0");
        assertThat(confinement.effectiveCapabilities()).isEqualTo("0000000000000000");
        assertThat(confinement.noNewPrivileges()).isTrue();
        assertThat(confinement.seccompFilter()).isTrue();
        assertThat(confinement.rootReadOnly()).isTrue();
        assertThat(first.path("node").asText()).as("NODE_NAME from the downward API").isEqualTo(NODE);
        assertThat(first.path("hashBuckets").asLong()).as("the kernel log is not readable there: the sizing rule")
                .isEqualTo(RealKernel.sizingRule());
        assertThat(first.path("hashBucketsSource").asText()).isEqualTo("sizingRule");
        assertThat(first.at("/slab/dentryObjectSizeBytes").asLong()).isEqualTo(hostObjectSize);
        assertThat(first.at("/slab/dentryObjects").asLong()).as("within 25%% of /proc/slabinfo read on the host just after: %,d", hostObjects)
                .isBetween(hostObjects * 3 / 4, hostObjects * 5 / 4);
        assertThat(offender.path("kind").asText()).isEqualTo("pod");
        assertThat(offender.path("share").asDouble()).isGreaterThan(0.5);
        assertThat(list(emptyDir)).as("its state (the canary's tree) is written to the spec's empty dir").contains("canary");
    }

    private static Optional<JsonNode> offender(JsonNode sample, String podUid) {
        for (JsonNode o : sample.path("offenders")) {
            if (podUid.equals(o.path("podUid").asText())) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    private static List<String> list(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void refusesTheWritesTheSpecDoesNotAllowAndSaysWhy() throws Exception {
        String podUid = UUID.randomUUID().toString();
        Files.createDirectories(tree.pod(QOS, podUid));
        String cgroupRoot = specArgument("--cgroup-root", "/sys/fs/cgroup");

        Podman.Run pod = podman.run(podmanRun(run.options(), podman.containerName("dentry-guard-reclaim-image-it"), false,
                List.of("reclaim", "--pod-uid", podUid, "--cgroup-root", cgroupRoot)));
        Podman.Run node = podman.run(podmanRun(run.options(), podman.containerName("dentry-guard-reclaim-node-image-it"), false,
                List.of("reclaim", "--node")));
        // Without the spec's empty dir, its state directory is on the read-only root.
        Podman.Run noState = podman.run(podmanRun(run.optionsWithout(STATE_DIR), podman.containerName("dentry-guard-no-state-image-it"),
                false, standalone("--once", "--json")));
        System.out.printf("reclaim --pod-uid: exit %d: %s%nreclaim --node: exit %d: %s%nwithout the empty dir at %s: exit %d: %s%n",
                pod.exitCode(), pod.output().strip(), node.exitCode(), node.output().strip(), STATE_DIR, noState.exitCode(),
                noState.output().lines().filter(l -> !l.startsWith("{")).reduce((a, b) -> b).orElse(""));

        assertThat(pod.exitCode()).as(pod.output()).isEqualTo(ReclaimCommand.REFUSED);
        assertThat(pod.output()).startsWith("Refused: ").containsAnyOf("not writable", "read-only");
        assertThat(node.exitCode()).as(node.output()).isEqualTo(ReclaimCommand.REFUSED);
        assertThat(node.output()).startsWith("Refused: ").containsAnyOf("not writable", "read-only");
        assertThat(noState.exitCode()).as(noState.output()).isNotZero();
        assertThat(noState.output()).contains(STATE_DIR + ": Read-only file system");
    }
}
