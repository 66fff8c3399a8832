package io.dentryguard.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dentryguard.api.testing.Promtool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's alerts (files/alerts.yaml), their promtool rule tests (files/alerts_test.yaml) and the
 * Grafana dashboard (files/dashboard.json): promtool accepts and passes them, every alert has a test
 * that fires and one that stays silent, and every series they select is one the probe or the
 * operator exports, with labels and label values it carries ({@link ExportedMetrics}).
 */
class AlertRulesTest {
    private static final Path FILES = Path.of("dentry-guard", "files");
    private static final Path ALERTS = FILES.resolve("alerts.yaml");
    private static final Path DOCS = Path.of("..", "docs");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ExportedMetrics exported;

    @BeforeAll
    static void scrapeTheComponents() {
        exported = ExportedMetrics.ofComponents();
    }

    @Test
    void promtoolChecksTheRules() throws Exception {
        Promtool.Run r = Promtool.run(null, "check", "rules", ALERTS.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + alerts().size() + " rules found");
    }

    @Test
    void promtoolRuleTestsPass() throws Exception {
        Promtool.Run r = Promtool.run(null, "test", "rules", FILES.resolve("alerts_test.yaml").toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertHasATestWhereItFiresAndOneWhereItStaysSilent() throws IOException {
        Set<String> fires = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (JsonNode test : YAML.readTree(FILES.resolve("alerts_test.yaml").toFile()).path("tests")) {
            for (JsonNode t : test.path("alert_rule_test")) {
                (t.path("exp_alerts").isEmpty() ? silent : fires).add(t.path("alertname").asText());
            }
        }
        Set<String> names = alerts().keySet();
        assertThat(fires).as("alerts with a test where they fire").containsAll(names);
        assertThat(silent).as("alerts with a test where they stay silent").containsAll(names);
    }

    @Test
    void everyAlertHasASeverityAnAnnotatedRunbookThatExistsInTheDocs() throws IOException {
        for (JsonNode rule : alerts().values()) {
            String name = rule.path("alert").asText();
            assertThat(rule.path("labels").path("severity").asText()).as(name).isIn("critical", "warning", "info");
            assertThat(rule.path("annotations").path("summary").asText()).as(name).isNotBlank();
            assertThat(rule.path("annotations").path("description").asText()).as(name).isNotBlank();
            String runbook = rule.path("annotations").path("runbook_url").asText();
            assertThat(runbook).as(name).matches("docs/[a-z-]+\\.md#[a-z0-9-]+");
            Path doc = DOCS.resolve(runbook.substring("docs/".length(), runbook.indexOf('#')));
            assertThat(headingAnchors(doc)).as("the headings of " + doc).contains(runbook.substring(runbook.indexOf('#') + 1));
        }
    }

    @Test
    void theAlertsSelectOnlyExportedSeries() throws IOException {
        List<String> exprs = alerts().values().stream().map(r -> r.path("expr").asText()).toList();
        assertThat(problems(exprs)).isEmpty();
    }

    @Test
    void theDashboardSelectsOnlyExportedSeries() throws IOException {
        assertThat(problems(dashboardQueries())).isEmpty();
    }

    @Test
    void theDashboardQueriesParseAndUseTheDatasourceVariable(@TempDir Path tmp) throws Exception {
        JsonNode dash = JSON.readTree(FILES.resolve("dashboard.json").toFile());
        assertThat(dash.path("schemaVersion").asInt()).isBetween(36, 41);
        Set<String> variables = new TreeSet<>();
        dash.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
        assertThat(variables).contains("datasource", "node");
        List<JsonNode> panels = dash.path("panels").findParents("targets");
        assertThat(panels).isNotEmpty();
        for (JsonNode p : panels) {
            assertThat(p.path("datasource").path("uid").asText()).as(p.path("title").asText()).isEqualTo("${datasource}");
            p.path("targets").forEach(t -> assertThat(t.path("datasource").path("uid").asText()).isEqualTo("${datasource}"));
        }
        // promtool parses each query (Grafana's variables replaced) as a recording rule: PromQL syntax
        // checked by Prometheus itself
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (String q : dashboardQueries()) {
            rules.append("      - record: dashboard_query\n        expr: ").append(JSON.writeValueAsString(grafanaToPromQl(q))).append('\n');
        }
        Path file = Files.writeString(tmp.resolve("dashboard-queries.yaml"), rules);
        Promtool.Run r = Promtool.run(null, "check", "rules", file.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void theHeatmapDrawsTheCanaryHistogramsBuckets() throws IOException {
        JsonNode dash = JSON.readTree(FILES.resolve("dashboard.json").toFile());
        List<String> heatmapQueries = new ArrayList<>();
        for (JsonNode p : dash.path("panels").findParents("targets")) {
            if (p.path("type").asText().equals("heatmap")) {
                p.path("targets").forEach(t -> heatmapQueries.add(t.path("expr").asText()));
            }
        }
        assertThat(heatmapQueries).singleElement().satisfies(q ->
                assertThat(PromQl.selectors(grafanaToPromQl(q))).extracting(PromQl.Selector::metric)
                        .containsExactly("dentryguard_canary_lookup_seconds_bucket"));
        assertThat(exported.names()).contains("dentryguard_canary_lookup_seconds_bucket");
    }

    @Test
    void aWrongMetricNameALabelItLacksOrAValueItNeverTakesIsCaught() {
        assertThat(problems(List.of("max by (node) (dentryguard_verdicts{verdict=\"Critical\"}) == 1")))
                .singleElement().asString().contains("dentryguard_verdicts is not exported");
        assertThat(problems(List.of("rate(dentryguard_sample_total[5m]) == 0 and up == 1")))
                .singleElement().asString().contains("dentryguard_sample_total is not exported");
        // the operator says "critical", the probe "Critical"
        assertThat(problems(List.of("dentryguard_operator_nodes{verdict=\"Critical\"} > 0")))
                .singleElement().asString().contains("never \"Critical\"");
        assertThat(problems(List.of("dentryguard_verdict{verdict=~\"Degraded|critical\"}")))
                .singleElement().asString().contains("never \"critical\"");
        assertThat(problems(List.of("increase(dentryguard_operator_remediation_steps_total{step=\"reclaim\"}[5m])")))
                .singleElement().asString().contains("never \"reclaim\"");
        assertThat(problems(List.of("dentryguard_offender_share_ratio{pod=\"x\", namespace=\"y\", podname=\"z\"}")))
                .singleElement().asString().contains("has no label podname");
    }

    @Test
    void theSelectorReaderFindsEveryMetricOfAnExpression() {
        assertThat(PromQl.selectors("sum by (node, le) (rate(a_total{x=\"1\", y=~\"b|c\"}[5m:1m])) > on (node) group_left(z) "
                + "b offset 30m or absent(c) unless max without (q) (d) / count(e == bool 1) and {__name__=\"f\"}"))
                .extracting(PromQl.Selector::metric).containsExactly("a_total", "b", "c", "d", "e", "f");
        assertThat(PromQl.selectors("a_total{x=\"1\", y=~\"b|c\"}").get(0).matchers()).containsExactly(
                new PromQl.LabelMatcher("x", "=", "1"), new PromQl.LabelMatcher("y", "=~", "b|c"));
    }

    /** Every selector's problem in these expressions (Grafana's variables replaced first). */
    private static List<String> problems(List<String> exprs) {
        List<String> problems = new ArrayList<>();
        for (String e : exprs) {
            List<PromQl.Selector> selectors = PromQl.selectors(grafanaToPromQl(e));
            assertThat(selectors).as("series selected by " + e).isNotEmpty();
            for (PromQl.Selector s : selectors) {
                exported.problems(s).forEach(p -> problems.add(p + ", in: " + e));
            }
        }
        return problems;
    }

    /** $__rate_interval and the like become a duration, other variables match anything. */
    private static String grafanaToPromQl(String q) {
        return q.replaceAll("\\$\\{?__\\w+}?", "5m").replaceAll("\\$\\{?\\w+}?", ".*");
    }

    /** The queries of every panel, and the series of each query variable ({@code label_values(series, label)}). */
    private static List<String> dashboardQueries() throws IOException {
        JsonNode dash = JSON.readTree(FILES.resolve("dashboard.json").toFile());
        List<String> queries = new ArrayList<>();
        dash.path("panels").findValues("expr").forEach(e -> queries.add(e.asText()));
        Pattern labelValues = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");
        for (JsonNode v : dash.path("templating").path("list")) {
            if (v.path("type").asText().equals("query")) {
                Matcher m = labelValues.matcher(v.path("query").path("query").asText(v.path("query").asText()));
                assertThat(m.matches()).as("variable " + v.path("name").asText() + " is label_values(series, label)").isTrue();
                queries.add(m.group(1));
            }
        }
        return queries;
    }

    /** The rules of alerts.yaml by alert name. */
    private static Map<String, JsonNode> alerts() throws IOException {
        Map<String, JsonNode> alerts = new LinkedHashMap<>();
        for (JsonNode group : YAML.readTree(ALERTS.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                assertThat(alerts.put(rule.path("alert").asText(), rule)).as("a second rule for " + rule.path("alert")).isNull();
            }
        }
        assertThat(alerts).isNotEmpty();
        return alerts;
    }

    /** GitHub's anchors for the headings of a markdown file: lower case, punctuation dropped, spaces as dashes. */
    private static Set<String> headingAnchors(Path doc) throws IOException {
        return Files.readAllLines(doc).stream().filter(l -> l.startsWith("#"))
                .map(l -> l.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'))
                .collect(Collectors.toSet());
    }
}
