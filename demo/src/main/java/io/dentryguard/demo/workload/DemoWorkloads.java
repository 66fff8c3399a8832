package io.dentryguard.demo.workload;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import java.util.Map;

/**
 * The demo's two workloads, as ReplicaSets of one pod each, in the shape of the published case: a
 * "worker" that walks a directory tree of its image in a loop and prints each loop's time, and a
 * "trasher" that looks up random missing names in a directory of its image, paced, until its count
 * is done, then idles (its pod stays Running, as a service that misbehaved in bursts would).
 */
public final class DemoWorkloads {
    public static final String NAMESPACE = "demo";
    public static final String VICTIM = "victim";
    public static final String OFFENDER = "offender";
    /** Both run in the JRE base image the project's own image is built from (tools/images/build-base.sh). */
    public static final String IMAGE = "localhost/jre-base:17";
    /** Where the offender finds the flood tool: the probe's jar, mounted read-only from the host. */
    static final String FLOOD_JAR_IN_CONTAINER = "/opt/dentry-guard/node-probe.jar";
    /** What the offender prints when its flood command fails. */
    public static final String FLOOD_FAILED = "flood failed";
    /** The directory of its image the offender floods: one that exists in the image, as in the published case. */
    public static final String FLOODED_DIRECTORY = "/usr/share/doc";
    /**
     * The victim's loop: stat() of every path of its image's /usr by its full name, so each of a path's
     * ~6 components is a dentry hash lookup (a walk with du, one lookup per entry from an open
     * directory, slowed half as much); prints the loop's microseconds.
     */
    public static final String VICTIM_LOOP = "find /usr -xdev > /tmp/paths; while :; do s=$(date +%s%N); "
            + "xargs -a /tmp/paths stat -c %s >/dev/null 2>&1; e=$(date +%s%N); echo \"loop_us $(( (e - s) / 1000 ))\"; done";

    private DemoWorkloads() {}

    public static ReplicaSet victim() {
        return replicaSet(VICTIM, new ContainerBuilder().withName("worker").withImage(IMAGE).withCommand("bash", "-c", VICTIM_LOOP).build(),
                List.of());
    }

    /**
     * @param floodJar the probe's jar on the host (its {@code flood} command makes the names)
     * @param names how many names in all
     * @param namesPerSecond its pace
     */
    public static ReplicaSet offender(String floodJar, long names, long namesPerSecond) {
        String flood = String.join(" ", "java -XX:+UseSerialGC -Xmx32m -XX:TieredStopAtLevel=1 -jar", FLOOD_JAR_IN_CONTAINER, "flood --dir",
                FLOODED_DIRECTORY, "--count", Long.toString(names), "--rate", Long.toString(namesPerSecond));
        // When the flood has made its names it idles; when it fails it says so, for the demo to stop rather than wait.
        Container trasher = new ContainerBuilder().withName("trasher").withImage(IMAGE)
                .withCommand("bash", "-c", flood + " || { echo \"" + FLOOD_FAILED + " (exit $?)\"; exit 1; }; exec sleep infinity")
                .addNewVolumeMount().withName("flood-tool").withMountPath(FLOOD_JAR_IN_CONTAINER).withReadOnly(true).endVolumeMount().build();
        return replicaSet(OFFENDER, trasher, List.of(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("flood-tool")
                .withNewHostPath().withPath(floodJar).withType("File").endHostPath().build()));
    }

    private static ReplicaSet replicaSet(String app, Container container, List<io.fabric8.kubernetes.api.model.Volume> volumes) {
        Map<String, String> labels = Map.of("app", app);
        return new ReplicaSetBuilder().withNewMetadata().withName(app + "-6d4cf56db6").withNamespace(NAMESPACE).withLabels(labels).endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().withContainers(container).withVolumes(volumes).withRestartPolicy("Always")
                .withTerminationGracePeriodSeconds(2L).endSpec().endTemplate().endSpec().build();
    }

    /** The victim's loop time in milliseconds from one line it printed, empty for any other line. */
    public static java.util.OptionalDouble loopMillis(String line) {
        String l = line == null ? "" : line.strip();
        if (!l.startsWith("loop_us ")) {
            return java.util.OptionalDouble.empty();
        }
        try {
            return java.util.OptionalDouble.of(Long.parseLong(l.substring("loop_us ".length()).strip()) / 1000.0);
        } catch (NumberFormatException e) {
            return java.util.OptionalDouble.empty();
        }
    }
}
