package io.dentryguard.probe.testing;

import io.dentryguard.api.testing.Podman;
import io.dentryguard.api.testing.PodmanRunFromPodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The product image run as the probe's DaemonSet runs it: the probe container of a pod template
 * (deploy/ or the chart rendered with other values), turned into {@code podman run} options by
 * {@link PodmanRunFromPodSpec}, and the image checked to hold this checkout's probe jar. Shared by
 * the image tests of node-probe (defaults: the rungs off) and of charts (the rungs on). Skips the
 * test, saying why, where it cannot run (not root, no podman, no cgroup v1 memory controller, the
 * image missing or stale). It holds the kubelet-style pod cgroups its floods go in ({@link #pods}, QoS
 * class {@link #QOS}); {@link #close} removes the containers, then those cgroups, then the directories
 * made for the run, also when a test fails.
 */
public final class ProbeImage implements AutoCloseable {
    /** The probe's container in the DaemonSet. */
    public static final String CONTAINER = "probe";
    /** The QoS class of the pods the tests flood from. */
    public static final String QOS = "besteffort";
    /** The probe's jar in the image (tools/images/Containerfile). */
    public static final String JAR_IN_IMAGE = "/opt/dentry-guard/lib/node-probe.jar";
    /** The image's entry point: the launcher, also for {@code podman exec}. */
    public static final String LAUNCHER = "/opt/dentry-guard/dentry-guard";
    /** What the probe does only in a cluster: left out of a standalone run. */
    private static final Set<String> CLUSTER_FLAGS = Set.of("--report-node-health", "--reclaim-pods", "--reclaim-node");
    /** The same, for options that take a value. */
    private static final Set<String> CLUSTER_OPTIONS = Set.of("--heartbeat", "--reclaim-timeout");

    private final Podman podman;
    private final String image;
    private final Path scratch;
    private final PodmanRunFromPodSpec run;
    private final KubeletCgroupTree pods;

    private ProbeImage(Podman podman, String image, Path scratch, PodmanRunFromPodSpec run, KubeletCgroupTree pods) {
        this.pods = pods;
        this.podman = podman;
        this.image = image;
        this.scratch = scratch;
        this.run = run;
    }

    /** The packaged probe jar (failsafe's {@code probe.jar}: node-probe's shaded jar). */
    public static Path packagedJar() {
        String jar = System.getProperty("probe.jar");
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("probe.jar not set or missing (" + jar + "): run through mvn verify");
        }
        return Path.of(jar);
    }

    /**
     * The probe container of {@code template}, ready to run; skips the test, saying why, where it
     * cannot. {@code scratchPrefix} names the scratch directory of its empty dirs.
     */
    public static ProbeImage of(PodTemplateSpec template, PodmanRunFromPodSpec.Downward downward, String scratchPrefix) throws Exception {
        RealKernel.assumeRootOnLinux();
        RealKernel.assumeCountsNegatives();
        KubeletCgroupTree.assumeV1MemoryController();
        Podman podman = Podman.create();
        Path scratch = null;
        try {
            String image = podman.productImage(packagedJar(), JAR_IN_IMAGE);
            scratch = RealKernel.scratchDirectory(scratchPrefix);
            PodmanRunFromPodSpec run = PodmanRunFromPodSpec.of(template, CONTAINER, downward, scratch);
            KubeletCgroupTree pods = KubeletCgroupTree.create("dentry-guard-" + scratchPrefix);
            pods.qosClass(QOS);
            return new ProbeImage(podman, image, scratch, run, pods);
        } catch (Throwable t) {
            podman.close();
            if (scratch != null) {
                RealKernel.delete(scratch);
            }
            throw t;
        }
    }

    public KubeletCgroupTree pods() {
        return pods;
    }

    public Podman podman() {
        return podman;
    }

    public String image() {
        return image;
    }

    public Path scratch() {
        return scratch;
    }

    public PodmanRunFromPodSpec run() {
        return run;
    }

    /** The spec's arguments without those that need an API server (a standalone run), and {@code extra}. */
    public List<String> standalone(String... extra) {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < run.args().size(); i++) {
            String a = run.args().get(i);
            if (CLUSTER_OPTIONS.contains(a)) {
                i++;
            } else if (!CLUSTER_FLAGS.contains(a) && CLUSTER_OPTIONS.stream().noneMatch(o -> a.startsWith(o + "="))) {
                args.add(a);
            }
        }
        args.addAll(List.of(extra));
        return args;
    }

    /** The value of {@code option} in the spec's arguments, or its default. */
    public String specArgument(String option, String byDefault) {
        int i = run.args().indexOf(option);
        return i >= 0 ? run.args().get(i + 1) : byDefault;
    }

    /** {@code podman run} of the image named {@code name}, with {@code podmanOptions} (the spec's, or some of them) and {@code args}. */
    public List<String> runCommand(List<String> podmanOptions, String name, boolean detach, List<String> args) {
        List<String> command = new ArrayList<>(List.of("run", "--name", name));
        if (detach) {
            command.add("--detach");
        }
        command.addAll(podmanOptions);
        command.add(image);
        command.addAll(args);
        return command;
    }

    /** The spec's {@code podman run}: {@link #runCommand} with all its options. */
    public List<String> runCommand(String name, boolean detach, List<String> args) {
        return runCommand(run.options(), name, detach, args);
    }

    /** What the run is, for the test's output. */
    public String describe() {
        return String.format("podman run %s %s ARGS, with the spec's args %s (standalone: %s); the spec's image %s; not run: %s",
                String.join(" ", run.options()), image, run.args(), standalone(), run.image(), run.notRun());
    }

    /** Removes the containers, then the pod cgroups, then the directories made for the run and the scratch directory. */
    @Override
    public void close() throws Exception {
        try {
            podman.close();
            pods.close();
        } finally {
            try {
                for (Path made : run.made()) {
                    RealKernel.delete(made);
                }
            } finally {
                RealKernel.delete(scratch);
            }
        }
    }
}
