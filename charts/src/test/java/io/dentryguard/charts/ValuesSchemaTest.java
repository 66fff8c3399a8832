package io.dentryguard.charts;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** values.schema.json refuses bad values before anything is rendered, and says where. */
class ValuesSchemaTest {

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("unknown key (a typo)", "operator.replica", "2", "additional properties 'replica' not allowed"),
                Arguments.of("no replica", "operator.replicas", "0", "at '/operator/replicas'"),
                Arguments.of("a switch that is not a boolean", "serviceMonitor.enabled", "yes", "at '/serviceMonitor/enabled'"),
                Arguments.of("a duration the operator cannot read", "heartbeat", "5 minutes", "at '/heartbeat'"),
                Arguments.of("a port out of range", "probe.metricsPort", "70000", "at '/probe/metricsPort'"),
                Arguments.of("a recursiveReadOnly Kubernetes does not know", "probe.recursiveReadOnly", "Sometimes", "at '/probe/recursiveReadOnly'"),
                Arguments.of("eviction without the pod rung before it", "remediation.evict", "true", "at '/remediation/reclaimPods'"),
                Arguments.of("a setting that has a value of its own", "operator.settings.dry-run", "true", "invalid propertyName 'dry-run'"),
                Arguments.of("a flag the chart sets itself", "probe.extraArgs[0]", "--reclaim-node", "at '/probe/extraArgs/0'"),
                Arguments.of("an image pull policy Kubernetes does not know", "probe.image.pullPolicy", "Sometimes", "at '/probe/image/pullPolicy'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void refuses(String what, String key, String value, String where) {
        assertThatThrownBy(() -> Chart.template().set(key, value).call()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("values don't meet the specifications of the schema").hasMessageContaining(where);
    }
}
