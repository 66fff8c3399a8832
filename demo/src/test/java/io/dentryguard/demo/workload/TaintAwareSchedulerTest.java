package io.dentryguard.demo.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaintAwareSchedulerTest {
    private static final Taint PRESSURE = new TaintBuilder().withKey("dentryguard.io/dentry-pressure").withValue("dentry-guard")
            .withEffect("NoSchedule").build();

    @Test
    void anUntaintedHostIsPreferredInTheOrderGiven() {
        assertThat(TaintAwareScheduler.place(pod(), List.of(node("host"), node("virtual")))).contains("host");
    }

    @Test
    void aPodThatDoesNotTolerateTheTaintGoesToTheOtherNode() {
        assertThat(TaintAwareScheduler.place(pod(), List.of(node("host", PRESSURE), node("virtual")))).contains("virtual");
    }

    @Test
    void noExecuteKeepsAPodOffToo() {
        Taint noExecute = new TaintBuilder(PRESSURE).withEffect("NoExecute").build();
        assertThat(TaintAwareScheduler.place(pod(), List.of(node("host", noExecute), node("virtual")))).contains("virtual");
    }

    @Test
    void noNodeFitsWhenEveryNodeIsTainted() {
        assertThat(TaintAwareScheduler.place(pod(), List.of(node("host", PRESSURE), node("virtual", PRESSURE)))).isEmpty();
    }

    @Test
    void aTolerationOfTheTaintKeepsThePodOnTheHost() {
        Toleration exact = new TolerationBuilder().withKey(PRESSURE.getKey()).withOperator("Equal").withValue("dentry-guard")
                .withEffect("NoSchedule").build();
        Toleration anything = new TolerationBuilder().withOperator("Exists").build();
        Toleration otherValue = new TolerationBuilder().withKey(PRESSURE.getKey()).withOperator("Equal").withValue("other").build();

        assertThat(TaintAwareScheduler.place(pod(exact), List.of(node("host", PRESSURE), node("virtual")))).contains("host");
        assertThat(TaintAwareScheduler.place(pod(anything), List.of(node("host", PRESSURE), node("virtual")))).contains("host");
        assertThat(TaintAwareScheduler.place(pod(otherValue), List.of(node("host", PRESSURE), node("virtual")))).contains("virtual");
    }

    @Test
    void preferNoScheduleIsAvoidedWhileAnotherNodeFitsButNotRefused() {
        Taint prefer = new TaintBuilder(PRESSURE).withEffect("PreferNoSchedule").build();

        assertThat(TaintAwareScheduler.place(pod(), List.of(node("host", prefer), node("virtual")))).contains("virtual");
        assertThat(TaintAwareScheduler.place(pod(), List.of(node("host", prefer)))).contains("host");
    }

    @Test
    void aCordonedNodeGetsNothing() {
        Node cordoned = new NodeBuilder(node("host")).editSpec().withUnschedulable(true).endSpec().build();
        assertThat(TaintAwareScheduler.place(pod(), List.of(cordoned, node("virtual")))).contains("virtual");
    }

    private static Node node(String name, Taint... taints) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withTaints(taints).endSpec().build();
    }

    private static Pod pod(Toleration... tolerations) {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec().withTolerations(tolerations).endSpec().build();
    }
}
