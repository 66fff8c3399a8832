package io.dentryguard.demo.cluster.table;

import static io.dentryguard.demo.cluster.table.PrintersTestSupport.json;
import static io.dentryguard.demo.cluster.table.PrintersTestSupport.row;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeTablePrinterTest {
    private final NodeTablePrinter printer = new NodeTablePrinter();

    @Test
    void aReadyWorkerShowsItsRoleVersionAddressesAndSystem() {
        assertThat(row(printer, json("""
                {"metadata": {"name": "n1", "creationTimestamp": "2026-01-01T11:55:00Z",
                              "labels": {"node-role.kubernetes.io/worker": "", "node-role.kubernetes.io/infra": "", "zone": "a"}},
                 "status": {"conditions": [{"type": "MemoryPressure", "status": "False"}, {"type": "Ready", "status": "True"}],
                            "addresses": [{"type": "InternalIP", "address": "10.0.0.1"}, {"type": "Hostname", "address": "n1"}],
                            "nodeInfo": {"kubeletVersion": "v1.33.1", "osImage": "Debian 12", "kernelVersion": "6.1.0",
                                         "containerRuntimeVersion": "containerd://1.7"}}}""")))
                .containsExactly(java.util.Map.entry("Name", "n1"), java.util.Map.entry("Status", "Ready"),
                        java.util.Map.entry("Roles", "infra,worker"), java.util.Map.entry("Age", "5m"),
                        java.util.Map.entry("Version", "v1.33.1"), java.util.Map.entry("Internal-IP", "10.0.0.1"),
                        java.util.Map.entry("External-IP", "<none>"), java.util.Map.entry("OS-Image", "Debian 12"),
                        java.util.Map.entry("Kernel-Version", "6.1.0"), java.util.Map.entry("Container-Runtime", "containerd://1.7"));
    }

    @Test
    void aCordonedNodeThatIsNotReadyWithoutRolesSaysSo() {
        assertThat(row(printer, json("""
                {"metadata": {"name": "n2"}, "spec": {"unschedulable": true},
                 "status": {"conditions": [{"type": "Ready", "status": "False"}]}}""")))
                .containsEntry("Status", "NotReady,SchedulingDisabled").containsEntry("Roles", "<none>").containsEntry("Age", "<unknown>")
                .containsEntry("OS-Image", "<unknown>");
    }

    @Test
    void aNodeWithoutAReadyConditionIsUnknown() {
        assertThat(row(printer, json("{\"metadata\": {\"name\": \"n3\"}}"))).containsEntry("Status", "Unknown");
    }

    @Test
    void onlyTheAddressesAndSystemColumnsAreWide() {
        assertThat(printer.columns()).filteredOn(c -> c.priority() == 1).extracting(Column::name)
                .containsExactly("Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime");
    }
}
