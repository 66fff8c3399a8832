package io.dentryguard.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** helm lint --strict: warnings count as errors. */
class ChartLintTest {

    @Test
    void lintsCleanWithItsDefaults() {
        assertClean(new Helm(Chart.dir()).lint().strict().call());
    }

    /** Lint takes no values but the chart's own, so it lints a copy whose values.yaml has every feature on. */
    @Test
    void lintsCleanWithEveryFeatureOn(@TempDir Path dir) throws Exception {
        Path copy = Chart.copyWithValues(dir, Chart.valuesWith(Chart.testValues(Chart.ALL_ON)));
        assertClean(new Helm(copy).lint().strict().call());
    }

    /** The check above can fail: a values.yaml the schema refuses fails strict lint. */
    @Test
    void lintFailsOnValuesTheSchemaRefuses(@TempDir Path dir) throws Exception {
        var values = Chart.valuesWith(Chart.testValues(Chart.ALL_ON));
        values.put("heartbeat", "five minutes");
        LintResult lint = new Helm(Chart.copyWithValues(dir, values)).lint().strict().call();
        assertThat(lint.isFailed()).isTrue();
        assertThat(String.join("\n", lint.getMessages())).contains("/heartbeat");
    }

    private static void assertClean(LintResult lint) {
        assertThat(lint.getMessages()).as("helm lint --strict").filteredOn(m -> m.startsWith("[WARNING]") || m.startsWith("[ERROR]")).isEmpty();
        assertThat(lint.isFailed()).as("helm lint --strict failed: %s", lint.getMessages()).isFalse();
    }
}
