package io.dentryguard.demo.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The pod statuses a node agent writes, as the kubelet writes them. */
final class PodStatuses {
    private PodStatuses() {}

    /** Running and Ready: the container {@code podman://<id>} started now. */
    static PodStatus running(Pod pod, String containerId, String hostIp) {
        String now = now();
        Container c = pod.getSpec().getContainers().get(0);
        return new PodStatusBuilder().withPhase("Running").withHostIP(hostIp).withStartTime(now)
                .withConditions(List.of(condition("PodScheduled", "True", now, null, null), condition("Initialized", "True", now, null, null),
                        condition("ContainersReady", "True", now, null, null), condition("Ready", "True", now, null, null)))
                .addNewContainerStatus().withName(c.getName()).withImage(c.getImage()).withImageID("")
                .withContainerID("podman://" + containerId).withReady(true).withStarted(true).withRestartCount(0)
                .withNewState().withNewRunning().withStartedAt(now).endRunning().endState().endContainerStatus().build();
    }

    /** Failed, with the reason the container could not start; {@code kubectl get pods} shows the reason. */
    static PodStatus failedToStart(Pod pod, String hostIp, String message) {
        String now = now();
        return new PodStatusBuilder().withPhase("Failed").withReason("StartError").withMessage(message).withHostIP(hostIp).withStartTime(now)
                .withConditions(List.of(condition("PodScheduled", "True", now, null, null),
                        condition("Ready", "False", now, "StartError", message)))
                .build();
    }

    /**
     * Pending, as nothing runs, with the reason {@code VirtualNode}, which {@code kubectl get pods}
     * shows as the pod's STATUS, and the message "virtual node: shown, not run".
     */
    static PodStatus virtual(String message) {
        String now = now();
        return new PodStatusBuilder().withPhase("Pending").withReason("VirtualNode").withMessage(message)
                .withConditions(List.of(condition("PodScheduled", "True", now, null, null),
                        condition("Ready", "False", now, "VirtualNode", message)))
                .build();
    }

    private static PodCondition condition(String type, String status, String now, String reason, String message) {
        return new PodConditionBuilder().withType(type).withStatus(status).withLastTransitionTime(now).withReason(reason).withMessage(message)
                .build();
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
