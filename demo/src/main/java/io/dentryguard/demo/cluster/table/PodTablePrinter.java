package io.dentryguard.demo.cluster.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** Pods as {@code kubectl get pods [-o wide]} shows them from a real API server (its common cases). */
public final class PodTablePrinter implements TablePrinter {
    @Override
    public List<Column> columns() {
        return List.of(Column.NAME, Column.text("Ready", "The aggregate readiness state of this pod for accepting traffic."),
                Column.text("Status", "The aggregate status of the containers in this pod."),
                Column.text("Restarts", "The number of times the containers in this pod have been restarted."), Column.AGE,
                Column.wide("IP", "IP address allocated to the pod."), Column.wide("Node", "Name of the Node this pod is assigned to."),
                Column.wide("Nominated Node", "Name of the node the scheduler nominated for this pod."),
                Column.wide("Readiness Gates", "Readiness gates of the pod and how many are met."));
    }

    @Override
    public List<Object> cells(JsonNode pod, Instant now) {
        JsonNode statuses = pod.path("status").path("containerStatuses");
        int ready = 0;
        int restarts = 0;
        for (JsonNode container : statuses) {
            ready += container.path("ready").asBoolean() ? 1 : 0;
            restarts += container.path("restartCount").asInt();
        }
        int containers = Math.max(pod.path("spec").path("containers").size(), statuses.size());
        return List.of(JsonFields.text(pod, "metadata.name"), ready + "/" + containers, status(pod), String.valueOf(restarts),
                Ages.since(JsonFields.text(pod, "metadata.creationTimestamp"), now),
                JsonFields.textOr(pod, "status.podIP", "<none>"), JsonFields.textOr(pod, "spec.nodeName", "<none>"),
                JsonFields.textOr(pod, "status.nominatedNodeName", "<none>"), readinessGates(pod));
    }

    /** Terminating, else the pod's reason (Evicted), else a waiting or terminated container's reason, else the phase. */
    static String status(JsonNode pod) {
        if (!JsonFields.text(pod, "metadata.deletionTimestamp").isEmpty()) {
            return "Terminating";
        }
        String reason = JsonFields.text(pod, "status.reason");
        for (JsonNode container : pod.path("status").path("containerStatuses")) {
            String waiting = JsonFields.text(container, "state.waiting.reason");
            String terminated = JsonFields.text(container, "state.terminated.reason");
            if (reason.isEmpty()) {
                reason = !waiting.isEmpty() ? waiting : terminated;
            }
        }
        return !reason.isEmpty() ? reason : JsonFields.textOr(pod, "status.phase", "Pending");
    }

    private static String readinessGates(JsonNode pod) {
        JsonNode gates = pod.path("spec").path("readinessGates");
        if (gates.isEmpty()) {
            return "<none>";
        }
        long met = 0;
        for (JsonNode gate : gates) {
            String type = gate.path("conditionType").asText();
            for (JsonNode condition : pod.path("status").path("conditions")) {
                met += type.equals(condition.path("type").asText()) && "True".equals(condition.path("status").asText()) ? 1 : 0;
            }
        }
        return met + "/" + gates.size();
    }
}
