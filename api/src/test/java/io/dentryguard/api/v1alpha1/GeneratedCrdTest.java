package io.dentryguard.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CRD YAML the build generated from the Java classes (target/classes/META-INF/fabric8). */
class GeneratedCrdTest {
    private static CustomResourceDefinition crd;
    private static CustomResourceDefinitionVersion v1alpha1;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = GeneratedCrdTest.class.getResourceAsStream("/META-INF/fabric8/nodehealths.dentryguard.io-v1.yml")) {
            assertThat(in).as("the crd-generator-maven-plugin output").isNotNull();
            crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
        }
        v1alpha1 = crd.getSpec().getVersions().get(0);
    }

    @Test
    void namesAndScope() {
        assertThat(crd.getMetadata().getName()).isEqualTo("nodehealths.dentryguard.io");
        assertThat(crd.getSpec().getGroup()).isEqualTo("dentryguard.io");
        assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
        assertThat(crd.getSpec().getNames().getPlural()).isEqualTo("nodehealths");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("nh");
        assertThat(crd.getSpec().getVersions()).extracting(CustomResourceDefinitionVersion::getName).containsExactly("v1alpha1");
        assertThat(v1alpha1.getServed()).isTrue();
        assertThat(v1alpha1.getStorage()).isTrue();
    }

    @Test
    void hasTheStatusSubresource() {
        assertThat(v1alpha1.getSubresources().getStatus()).isNotNull();
    }

    @Test
    void printerColumnsAnswerTheOnCallQuestionsInTheOrderTheyAreAsked() {
        // The generator sorts columns by JSON path; the build puts them back in the order declared on NodeHealth.
        assertThat(v1alpha1.getAdditionalPrinterColumns())
                .extracting(CustomResourceColumnDefinition::getName, CustomResourceColumnDefinition::getJsonPath,
                        CustomResourceColumnDefinition::getType)
                .containsExactly(
                        tuple("Verdict", ".status.verdict", "string"),
                        tuple("Chain", ".status.chainLength", "number"),
                        tuple("Slowdown", ".status.lookupRatio", "number"),
                        tuple("Negative", ".status.negativeDentries", "integer"),
                        tuple("Top-Offender", ".status.topOffender", "string"),
                        tuple("Tainted", ".status.tainted", "boolean"),
                        tuple("Last-Report", ".status.lastReportTime", "date"));
    }

    @Test
    void validatesEnumsAndMinimums() {
        JSONSchemaProps status = v1alpha1.getSchema().getOpenAPIV3Schema().getProperties().get("status");
        assertThat(status.getProperties().get("verdict").getEnum()).extracting(n -> n.asText())
                .containsExactlyInAnyOrder("Healthy", "Warning", "Degraded", "Critical", "Unknown");
        assertThat(status.getProperties().get("negativeDentries").getMinimum()).isEqualTo(0.0);
        assertThat(status.getProperties().get("hashBuckets").getMinimum()).isEqualTo(1.0);
        JSONSchemaProps offender = status.getProperties().get("offenders").getItems().getSchema();
        assertThat(offender.getProperties().get("confidence").getEnum()).extracting(n -> n.asText())
                .containsExactlyInAnyOrder("High", "Medium", "Low");
        assertThat(offender.getProperties().get("share").getMaximum()).isEqualTo(1.0);
        JSONSchemaProps condition = status.getProperties().get("conditions").getItems().getSchema();
        assertThat(condition.getProperties()).containsKeys("type", "status", "reason", "message", "lastTransitionTime",
                "observedGeneration");
    }

    @Test
    void theJavaClassesRoundTripWithTheCrdsEnumSpelling() {
        NodeHealth nh = new NodeHealth();
        nh.getMetadata().setName("node-a");
        NodeHealthStatus s = new NodeHealthStatus();
        s.setVerdict(Verdict.DEGRADED);
        OffenderStatus o = new OffenderStatus();
        o.setConfidence(OffenderStatus.Confidence.HIGH);
        s.getOffenders().add(o);
        nh.setStatus(s);
        String yaml = Serialization.asYaml(nh);
        assertThat(yaml).contains("verdict: \"Degraded\"", "confidence: \"High\"", "apiVersion: \"dentryguard.io/v1alpha1\"",
                "kind: \"NodeHealth\"");
        assertThat(Serialization.unmarshal(yaml, NodeHealth.class).getStatus().getVerdict()).isEqualTo(Verdict.DEGRADED);
    }
}
