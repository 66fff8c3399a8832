package io.dentryguard.demo.cluster.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Nodes as {@code kubectl get nodes [-o wide]} shows them from a real API server. */
public final class NodeTablePrinter implements TablePrinter {
    private static final String ROLE_LABEL = "node-role.kubernetes.io/";

    @Override
    public List<Column> columns() {
        return List.of(Column.NAME, Column.text("Status", "The status of the node"), Column.text("Roles", "The roles of the node"),
                Column.AGE, Column.text("Version", "Kubelet Version reported by the node."),
                Column.wide("Internal-IP", "List of internal IPs for the node."), Column.wide("External-IP", "List of external IPs for the node."),
                Column.wide("OS-Image", "OS image reported by the node from /etc/os-release."),
                Column.wide("Kernel-Version", "Kernel version reported by the node from 'uname -r'."),
                Column.wide("Container-Runtime", "Container runtime version reported by the node."));
    }

    @Override
    public List<Object> cells(JsonNode node, Instant now) {
        return List.of(JsonFields.text(node, "metadata.name"), status(node), roles(node),
                Ages.since(JsonFields.text(node, "metadata.creationTimestamp"), now),
                JsonFields.text(node, "status.nodeInfo.kubeletVersion"),
                address(node, "InternalIP"), address(node, "ExternalIP"),
                JsonFields.textOr(node, "status.nodeInfo.osImage", "<unknown>"),
                JsonFields.textOr(node, "status.nodeInfo.kernelVersion", "<unknown>"),
                JsonFields.textOr(node, "status.nodeInfo.containerRuntimeVersion", "<unknown>"));
    }

    static String status(JsonNode node) {
        String ready = "Unknown";
        for (JsonNode condition : node.path("status").path("conditions")) {
            if ("Ready".equals(condition.path("type").asText())) {
                ready = "True".equals(condition.path("status").asText()) ? "Ready" : "NotReady";
            }
        }
        return node.path("spec").path("unschedulable").asBoolean() ? ready + ",SchedulingDisabled" : ready;
    }

    static String roles(JsonNode node) {
        TreeSet<String> roles = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("metadata").path("labels").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> label = it.next();
            if (label.getKey().startsWith(ROLE_LABEL) && label.getKey().length() > ROLE_LABEL.length()) {
                roles.add(label.getKey().substring(ROLE_LABEL.length()));
            } else if (label.getKey().equals("kubernetes.io/role") && !label.getValue().asText().isEmpty()) {
                roles.add(label.getValue().asText());
            }
        }
        return roles.isEmpty() ? "<none>" : String.join(",", roles);
    }

    private static String address(JsonNode node, String type) {
        List<String> addresses = new ArrayList<>();
        for (JsonNode address : node.path("status").path("addresses")) {
            if (type.equals(address.path("type").asText())) {
                addresses.add(address.path("address").asText());
            }
        }
        return addresses.isEmpty() ? "<none>" : String.join(",", addresses);
    }
}
