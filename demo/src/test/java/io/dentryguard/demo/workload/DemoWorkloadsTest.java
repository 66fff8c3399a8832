package io.dentryguard.demo.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import org.junit.jupiter.api.Test;

class DemoWorkloadsTest {
    @Test
    void theVictimsLoopLinesReadAsMilliseconds() {
        assertThat(DemoWorkloads.loopMillis("loop_us 41250")).hasValue(41.25);
        assertThat(DemoWorkloads.loopMillis("du: cannot read directory")).isEmpty();
        assertThat(DemoWorkloads.loopMillis("loop_us many")).isEmpty();
        assertThat(DemoWorkloads.loopMillis(null)).isEmpty();
    }

    @Test
    void theOffenderFloodsADirectoryOfItsImageAtItsPaceWithTheProbesJarMountedReadOnly() {
        ReplicaSet rs = DemoWorkloads.offender("/checkout/node-probe/target/node-probe-all.jar", 1_000_000, 50_000);
        var spec = rs.getSpec().getTemplate().getSpec();

        assertThat(String.join(" ", spec.getContainers().get(0).getCommand()))
                .contains("flood --dir /usr/share/doc --count 1000000 --rate 50000", "exec sleep infinity");
        assertThat(spec.getVolumes()).singleElement().satisfies(v -> assertThat(v.getHostPath().getPath())
                .isEqualTo("/checkout/node-probe/target/node-probe-all.jar"));
        assertThat(spec.getContainers().get(0).getVolumeMounts()).singleElement().satisfies(m -> assertThat(m.getReadOnly()).isTrue());
        assertThat(rs.getSpec().getSelector().getMatchLabels()).isEqualTo(rs.getSpec().getTemplate().getMetadata().getLabels());
    }

    @Test
    void aNodeNameFromAHostName() {
        assertThat(DemoNodes.hostNodeName("Build-Box_07.example.com")).isEqualTo("build-box-07.example.com");
        assertThat(DemoNodes.hostNodeName("--")).isEqualTo("demo-host");
        assertThat(DemoNodes.hostNodeName("a".repeat(70))).hasSize(63);
    }
}
