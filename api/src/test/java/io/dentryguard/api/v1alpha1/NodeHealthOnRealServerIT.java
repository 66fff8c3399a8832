package io.dentryguard.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dentryguard.api.testing.RealApiServer;
import io.dentryguard.api.testing.RealApiServerPerClass;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What only a real API server shows of the generated CRD: its schema enforced, its tables, version skew. */
class NodeHealthOnRealServerIT {
    @RegisterExtension
    static final RealApiServerPerClass SERVER = new RealApiServerPerClass();
    private static RealApiServer api;


    @BeforeAll
    static void server() {
        api = SERVER.api();
    }

    private static void create(String name) {
        api.client.genericKubernetesResources("dentryguard.io/v1alpha1", "NodeHealth").resource(new GenericKubernetesResource() {
            {
                setApiVersion("dentryguard.io/v1alpha1");
                setKind("NodeHealth");
                setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
            }
        }).create();
    }

    private static void mergeStatus(String name, String statusJson) {
        api.client.genericKubernetesResources("dentryguard.io/v1alpha1", "NodeHealth").withName(name).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\": " + statusJson + "}");
    }

    @Test
    void theServerRefusesAStatusOutsideTheSchema() {
        create("schema-node");
        mergeStatus("schema-node", "{\"verdict\": \"Degraded\", \"chainLength\": 4.5}");

        assertThatThrownBy(() -> mergeStatus("schema-node", "{\"verdict\": \"Exploded\"}")).isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
                .hasMessageContaining("status.verdict").hasMessageContaining("Unsupported value: \"Exploded\"");
        assertThatThrownBy(() -> mergeStatus("schema-node", "{\"offenders\": [{\"confidence\": \"Extreme\"}]}"))
                .hasMessageContaining("status.offenders[0].confidence");
        assertThatThrownBy(() -> mergeStatus("schema-node", "{\"totalDentries\": -1}")).hasMessageContaining("status.totalDentries");

        NodeHealth stored = api.client.resources(NodeHealth.class).withName("schema-node").get();
        assertThat(stored.getStatus().getVerdict()).as("nothing of the refused writes was stored").isEqualTo(Verdict.DEGRADED);
        assertThat(stored.unreadableFields()).isEmpty();
    }

    /**
     * Version skew: a newer probe or operator writes a field this version does not know. The
     * structural schema prunes it, and the older reader reads the rest.
     */
    @Test
    void aFieldFromANewerVersionIsPrunedAndTheRestReads() {
        create("skew-node");
        mergeStatus("skew-node", "{\"verdict\": \"Warning\", \"chainLength\": 2.0, \"quarantine\": {\"since\": \"2027-01-01T00:00:00Z\"}}");
        NodeHealth stored = api.client.resources(NodeHealth.class).withName("skew-node").get();
        assertThat(stored.getStatus().getVerdict()).isEqualTo(Verdict.WARNING);
        assertThat(stored.unreadableFields()).isEmpty();
        String raw = api.client.raw(api.client.getMasterUrl() + "apis/dentryguard.io/v1alpha1/nodehealths/skew-node");
        assertThat(raw).as("pruned by the server").doesNotContain("quarantine");
    }

    @Test
    void kubectlShowsThePrinterColumnsInTheirOrder() {
        create("table-node");
        mergeStatus("table-node", """
                {"verdict": "Critical", "chainLength": 31.2, "lookupRatio": 9.8, "negativeDentries": 103000000,
                 "topOffender": "batch/flooder-7d9", "tainted": true, "lastReportTime": "2026-11-30T08:00:00Z"}""");
        RealApiServer.KubectlRun kubectl = api.kubectl("get", "nh", "table-node");
        assertThat(kubectl.exitCode()).as(kubectl.output()).isZero();
        List<String> lines = kubectl.output().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).split("\\s+")).containsExactly("NAME", "VERDICT", "CHAIN", "SLOWDOWN", "NEGATIVE", "TOP-OFFENDER",
                "TAINTED", "LAST-REPORT");
        assertThat(lines.get(1).split("\\s+")).startsWith("table-node", "Critical", "31.2", "9.8", "103000000", "batch/flooder-7d9",
                "true");
    }
}
