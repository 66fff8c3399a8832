package io.dentryguard.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.decide.Situation;
import io.dentryguard.operator.decide.TaintEffect;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeReaderTest {
    private static NodeHealth report(Verdict verdict, String at) {
        NodeHealth nh = new NodeHealth();
        nh.getMetadata().setName("node-a");
        NodeHealthStatus s = new NodeHealthStatus();
        s.setVerdict(verdict);
        s.setLastReportTime(at);
        s.setReasons(null);
        nh.setStatus(s);
        return nh;
    }

    private static Node node(Taint... taints) {
        return new NodeBuilder().withNewMetadata().withName("node-a").addToLabels("dentryguard.io/ignore", "true").endMetadata()
                .withNewSpec().withTaints(taints).endSpec().build();
    }

    @Test
    void aReadableReport() {
        var s = NodeReader.situation(report(Verdict.DEGRADED, "2026-11-29T12:00:00Z"), node(), 10, 0);
        assertThat(s.reportProblem()).isNull();
        assertThat(s.lastReport()).isEqualTo(Instant.parse("2026-11-29T12:00:00Z"));
        assertThat(s.reasons()).isEmpty();
        assertThat(s.optedOut()).isTrue();
    }

    @Test
    void nonsenseInTheReportIsNamed() {
        assertThat(NodeReader.situation(report(Verdict.DEGRADED, "yesterday"), node(), 10, 0).reportProblem())
                .isEqualTo("status.lastReportTime \"yesterday\" is not an RFC 3339 time; the report is not acted on");
        assertThat(NodeReader.situation(report(null, "2026-11-29T12:00:00Z"), node(), 10, 0).reportProblem())
                .isEqualTo("status.verdict is missing from a report of 2026-11-29T12:00:00Z; the report is not acted on");
        assertThat(NodeReader.situation(report(null, null), node(), 10, 0).reportProblem()).as("never reported").isNull();
    }

    @Test
    void unreadableFieldsOfTheProbeStopTheReportAndThoseOfTheOperatorDoNot() {
        NodeHealth nh = report(Verdict.DEGRADED, "2026-11-29T12:00:00Z");
        nh.getStatus().setUnreadableFields(List.of("status.tainted \"yes\" is not true or false"));
        assertThat(NodeReader.situation(nh, node(), 10, 0).reportProblem()).as("the operator writes its own field anew").isNull();
        nh.getStatus().setUnreadableFields(List.of("status.offenders[1].confidence \"Extreme\" is not one of High, Medium, Low"));
        assertThat(NodeReader.situation(nh, node(), 10, 0).reportProblem())
                .isEqualTo("status.offenders[1].confidence \"Extreme\" is not one of High, Medium, Low; the report is not acted on");
        nh.getStatus().setUnreadableFields(List.of());
        nh.getStatus().setVerdictSince("soon");
        assertThat(NodeReader.situation(nh, node(), 10, 0).reportProblem())
                .isEqualTo("status.verdictSince \"soon\" is not an RFC 3339 time; the report is not acted on");
        nh.getStatus().setVerdictSince("2026-11-29T11:00:00Z");
        assertThat(NodeReader.situation(nh, node(), 10, 0).verdictSince()).isEqualTo(Instant.parse("2026-11-29T11:00:00Z"));
        nh.getSpec().setUnreadableFields(List.of("spec.paused \"perhaps\" is not true or false"));
        assertThat(NodeReader.situation(nh, node(), 10, 0).specProblem()).isEqualTo("spec.paused \"perhaps\" is not true or false");
        assertThat(NodeReader.situation(nh, null, 10, 0).nodeExists()).isFalse();
    }

    @Test
    void onlyTheOperatorsTaintCountsAndAnUnknownEffectIsNotOurs() {
        Taint foreign = new Taint("NoSchedule", "example.com/maintenance", null, "true");
        Taint ours = new Taint("NoExecute", "dentryguard.io/dentry-pressure", null, "dentry-guard");
        Taint garbled = new Taint("Sometimes", "dentryguard.io/dentry-pressure", null, "dentry-guard");
        Taint manual = new Taint("NoExecute", "dentryguard.io/dentry-pressure", null, "manual");
        Taint older = new Taint("NoSchedule", "dentryguard.io/dentry-pressure", null, "true");
        assertThat(NodeReader.ourTaint(node(foreign, ours))).contains(TaintEffect.NO_EXECUTE);
        assertThat(NodeReader.ourTaint(node(foreign))).isEmpty();
        assertThat(NodeReader.ourTaint(node(garbled))).isEmpty();
        assertThat(NodeReader.ourTaint(node(manual, older))).as("same key, another value: not ours").isEmpty();
        assertThat(NodeReader.othersTaints(node(foreign, ours, manual)))
                .containsExactly(new Situation.OthersTaint("manual", "NoExecute"));
        assertThat(NodeReader.taints(new NodeBuilder().withNewMetadata().withName("x").endMetadata().build())).isEqualTo(List.of());
    }
}
