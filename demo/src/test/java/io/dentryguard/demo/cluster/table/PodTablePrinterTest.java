package io.dentryguard.demo.cluster.table;

import static io.dentryguard.demo.cluster.table.PrintersTestSupport.json;
import static io.dentryguard.demo.cluster.table.PrintersTestSupport.row;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PodTablePrinterTest {
    private final PodTablePrinter printer = new PodTablePrinter();

    @Test
    void aRunningPodShowsReadinessRestartsAndWhereItRuns() {
        assertThat(row(printer, json("""
                {"metadata": {"name": "web", "creationTimestamp": "2026-01-01T09:00:00Z"},
                 "spec": {"nodeName": "n1", "containers": [{"name": "a"}, {"name": "b"}]},
                 "status": {"phase": "Running", "podIP": "10.244.0.3",
                            "containerStatuses": [{"name": "a", "ready": true, "restartCount": 2}, {"name": "b", "ready": false, "restartCount": 1}]}}""")))
                .containsEntry("Name", "web").containsEntry("Ready", "1/2").containsEntry("Status", "Running").containsEntry("Restarts", "3")
                .containsEntry("Age", "3h").containsEntry("IP", "10.244.0.3").containsEntry("Node", "n1")
                .containsEntry("Nominated Node", "<none>").containsEntry("Readiness Gates", "<none>");
    }

    @Test
    void aWaitingContainersReasonIsThePodsStatus() {
        assertThat(row(printer, json("""
                {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "a"}]},
                 "status": {"phase": "Pending", "containerStatuses": [{"name": "a", "state": {"waiting": {"reason": "ImagePullBackOff"}}}]}}""")))
                .containsEntry("Status", "ImagePullBackOff").containsEntry("Ready", "0/1").containsEntry("Node", "<none>");
    }

    @Test
    void anEvictedPodShowsItsReasonAndADeletedOneIsTerminating() {
        assertThat(row(printer, json("{\"metadata\": {\"name\": \"p\"}, \"status\": {\"phase\": \"Failed\", \"reason\": \"Evicted\"}}")))
                .containsEntry("Status", "Evicted");
        assertThat(row(printer, json("""
                {"metadata": {"name": "p", "deletionTimestamp": "2026-01-01T11:59:00Z"}, "status": {"phase": "Running"}}""")))
                .containsEntry("Status", "Terminating");
    }

    @Test
    void readinessGatesCountTheMetOnes() {
        assertThat(row(printer, json("""
                {"metadata": {"name": "p"}, "spec": {"readinessGates": [{"conditionType": "lb"}, {"conditionType": "dns"}]},
                 "status": {"conditions": [{"type": "lb", "status": "True"}, {"type": "dns", "status": "False"}]}}""")))
                .containsEntry("Readiness Gates", "1/2");
    }
}
