package io.dentryguard.demo.kubelet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code podman run} arguments that run a pod's single container as the kubelet lays pods out
 * with the cgroupfs driver: in the pod cgroup {@code /kubepods/besteffort/pod<UID>} (every pod here
 * is BestEffort: a pod with resources is refused rather than run in the wrong QoS cgroup), named
 * {@code k8s_<container>_<pod>_<namespace>_<uid>}, with the labels dockershim gave containers plus
 * the demo run's, and no network. From the spec: image, command (the entry point), args, env values
 * and hostPath volumes. Any other volume, an env from a reference, or a subPath is refused, since
 * running without it would not be what the pod asked for.
 */
final class PodmanRunArgs {
    static final String RUN_LABEL = "io.dentryguard.demo.run";
    static final String POD_UID_LABEL = "io.kubernetes.pod.uid";
    static final String PODS_PARENT = "/kubepods/besteffort";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PodmanRunArgs() {}

    static String cgroupParent(String podUid) {
        return PODS_PARENT + "/pod" + podUid;
    }

    static String containerName(Pod pod) {
        Container c = onlyContainer(pod);
        return String.join("_", "k8s", c.getName(), pod.getMetadata().getName(), pod.getMetadata().getNamespace(),
                pod.getMetadata().getUid());
    }

    /** Arguments after {@code podman}: {@code run --detach ...}. */
    static List<String> of(Pod pod, String runId) {
        Container c = onlyContainer(pod);
        String uid = pod.getMetadata().getUid();
        if (uid == null || uid.isBlank()) {
            throw new IllegalArgumentException("pod " + pod.getMetadata().getName() + " has no UID");
        }
        if (hasResources(c.getResources())) {
            throw new IllegalArgumentException("container " + c.getName() + " has resources: only BestEffort pods are run here");
        }
        List<String> args = new ArrayList<>(List.of("run", "--detach", "--name", containerName(pod),
                "--cgroup-parent=" + cgroupParent(uid), "--network", "none",
                "--label", RUN_LABEL + "=" + runId,
                "--label", POD_UID_LABEL + "=" + uid,
                "--label", "io.kubernetes.pod.name=" + pod.getMetadata().getName(),
                "--label", "io.kubernetes.pod.namespace=" + pod.getMetadata().getNamespace(),
                "--label", "io.kubernetes.container.name=" + c.getName()));
        for (EnvVar e : c.getEnv()) {
            if (e.getValueFrom() != null) {
                throw new IllegalArgumentException("env " + e.getName() + " takes its value from a reference: not supported here");
            }
            args.addAll(List.of("--env", e.getName() + "=" + (e.getValue() == null ? "" : e.getValue())));
        }
        args.addAll(volumes(pod, c));
        if (!c.getCommand().isEmpty()) {
            args.add("--entrypoint=" + json(c.getCommand()));
        }
        args.add(require(c.getImage(), "container " + c.getName() + " has no image"));
        args.addAll(c.getArgs());
        return args;
    }

    private static Container onlyContainer(Pod pod) {
        List<Container> containers = pod.getSpec().getContainers();
        if (containers.size() != 1 || !pod.getSpec().getInitContainers().isEmpty()) {
            throw new IllegalArgumentException("pod " + pod.getMetadata().getName() + " has " + containers.size()
                    + " containers and " + pod.getSpec().getInitContainers().size() + " init containers: only one container is run here");
        }
        return containers.get(0);
    }

    private static boolean hasResources(ResourceRequirements r) {
        return r != null && (r.getLimits() != null && !r.getLimits().isEmpty() || r.getRequests() != null && !r.getRequests().isEmpty());
    }

    private static List<String> volumes(Pod pod, Container c) {
        Map<String, Volume> byName = pod.getSpec().getVolumes().stream().collect(Collectors.toMap(Volume::getName, Function.identity()));
        List<String> args = new ArrayList<>();
        for (VolumeMount m : c.getVolumeMounts()) {
            Volume v = byName.get(m.getName());
            if (v == null || v.getHostPath() == null) {
                throw new IllegalArgumentException("volume " + m.getName() + (v == null ? " is not in the pod spec" : " is not a hostPath: only hostPath volumes are mounted here"));
            }
            if (m.getSubPath() != null && !m.getSubPath().isEmpty() || m.getSubPathExpr() != null && !m.getSubPathExpr().isEmpty()) {
                throw new IllegalArgumentException("volume mount " + m.getName() + " has a subPath: not supported here");
            }
            args.addAll(List.of("--volume", v.getHostPath().getPath() + ":" + m.getMountPath() + (Boolean.TRUE.equals(m.getReadOnly()) ? ":ro" : "")));
        }
        return args;
    }

    private static String require(String value, String otherwise) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(otherwise);
        }
        return value;
    }

    private static String json(List<String> command) {
        try {
            return JSON.writeValueAsString(command);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
