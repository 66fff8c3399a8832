package io.dentryguard.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.testing.RealApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's CRD is the generated one, byte for byte, and deploy/ is the chart rendered: neither is
 * edited by hand. On a difference, the message names the command that makes them again.
 */
class ChartInSyncTest {
    private static final Map<String, String> EXPECTED = ChartSync.expectedFiles();

    static Stream<Arguments> madeFiles() {
        return EXPECTED.keySet().stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("madeFiles")
    void isWhatTheChartMakes(String file) throws IOException {
        Path path = RealApiServer.checkoutRoot().resolve(file);
        assertThat(path).as("%s is missing: run %s", file, ChartSync.COMMAND).isRegularFile();
        assertThat(Files.readString(path)).as("%s differs from what %s makes: run it (and do not edit the file by hand)", file,
                ChartSync.COMMAND).isEqualTo(EXPECTED.get(file));
    }

    /** The chart's CRD is the generated one, byte for byte (the comparison above is of text; this of bytes). */
    @Test
    void theChartsCrdIsTheGeneratedOne() throws IOException {
        assertThat(Files.readAllBytes(RealApiServer.checkoutRoot().resolve(ChartSync.CHART_CRD)))
                .as("%s differs from the api module's generated CRD: run %s", ChartSync.CHART_CRD, ChartSync.COMMAND)
                .isEqualTo(ChartSync.generatedCrd().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The names the other modules' tests assume (deploy/rbac.yaml's accounts) are what the defaults render. */
    @Test
    void deployKeepsTheNamesTheOtherTestsUse() {
        String rbac = EXPECTED.get("deploy/rbac.yaml");
        assertThat(rbac).contains("name: " + Chart.PROBE_ACCOUNT + "\n", "name: " + Chart.OPERATOR_ACCOUNT + "\n",
                "namespace: " + Chart.NAMESPACE + "\n", "kind: Namespace", "pods/eviction");
        assertThat(EXPECTED.get("deploy/admission-policy.yaml"))
                .contains("'system:serviceaccount:" + Chart.NAMESPACE + ":" + Chart.PROBE_ACCOUNT + "'");
    }
}
