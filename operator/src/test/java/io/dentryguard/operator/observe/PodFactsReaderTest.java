package io.dentryguard.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.operator.decide.remediation.PodFacts;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodFactsReaderTest {
    private static Pod pod(String ownerKind, String ownerName) {
        PodBuilder b = new PodBuilder().withNewMetadata().withNamespace("shop").withName("trasher-7d9-x2").withUid("uid-1")
                .withAnnotations(Map.of("dentryguard.io/protected", "true")).endMetadata().withNewSpec().withPriority(1000).endSpec();
        if (ownerKind != null) {
            b.editMetadata().addNewOwnerReference().withKind(ownerKind).withName(ownerName).withController(true).withApiVersion("apps/v1")
                    .withUid("o").endOwnerReference().endMetadata();
        }
        return b.build();
    }

    private static Optional<? extends HasMetadata> deploymentsReplicaSet(String ns, String name) {
        return Optional.of(new ReplicaSetBuilder().withNewMetadata().withNamespace(ns).withName(name).addNewOwnerReference()
                .withKind("Deployment").withName("trasher").withController(true).withApiVersion("apps/v1").withUid("d").endOwnerReference()
                .endMetadata().build());
    }

    @Test
    void aDeploymentsPodCountsAgainstTheDeploymentNotItsReplicaSet() {
        PodFacts f = PodFactsReader.facts(pod("ReplicaSet", "trasher-7d9"), PodFactsReaderTest::deploymentsReplicaSet);
        assertThat(f.workload()).isEqualTo("Deployment shop/trasher");
        assertThat(f.ownerKind()).isEqualTo("ReplicaSet");
        assertThat(f.priority()).isEqualTo(1000);
        assertThat(f.annotations()).containsEntry("dentryguard.io/protected", "true");
        assertThat(f.uid()).isEqualTo("uid-1");
    }

    @Test
    void otherControllersAndBarePods() {
        assertThat(PodFactsReader.facts(pod("StatefulSet", "db"), (ns, n) -> Optional.empty()).workload()).isEqualTo("StatefulSet shop/db");
        assertThat(PodFactsReader.facts(pod("DaemonSet", "agent"), (ns, n) -> Optional.empty()).ownerKind()).isEqualTo("DaemonSet");
        assertThat(PodFactsReader.facts(pod("ReplicaSet", "gone"), (ns, n) -> Optional.empty()).workload())
                .as("a ReplicaSet that is gone counts as itself").isEqualTo("ReplicaSet shop/gone");
        PodFacts bare = PodFactsReader.facts(pod(null, null), (ns, n) -> Optional.empty());
        assertThat(bare.ownerKind()).isNull();
        assertThat(bare.workload()).isEqualTo("Pod shop/trasher-7d9-x2");
    }
}
