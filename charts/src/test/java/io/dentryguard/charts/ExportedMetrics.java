package io.dentryguard.charts;

import io.dentryguard.api.v1alpha1.OffenderStatus.Confidence;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.decide.SkipReason;
import io.dentryguard.operator.decide.TaintChange;
import io.dentryguard.operator.decide.remediation.Ladder;
import io.dentryguard.operator.metrics.OperatorMetrics;
import io.dentryguard.operator.metrics.OperatorRegistry;
import io.dentryguard.probe.exporter.ProbeReport;
import io.dentryguard.probe.exporter.PrometheusSink;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series the components export, by metric name, with the values seen of each label: taken from
 * the very registries their /metrics endpoints serve, filled in-process. That is the cheapest honest
 * source: a scrape of the packaged probe on this machine would name no offender (their gauges exist
 * only while one is named) and the operator's counters exist only once counted, so both would need
 * the same filling in anyway, with a JVM start and an API server more.
 *
 * <ul>
 *   <li>the probe: {@link PrometheusSink} (what {@code MetricsServer} serves) after one report
 *       naming an offender of each confidence;</li>
 *   <li>the operator: {@link OperatorRegistry#create()} with {@link OperatorMetrics} as
 *       {@code OperatorFactory} wires them, every counter incremented once per label value its
 *       callers pass (each taint action, skip reason and ladder step, dry run or not).</li>
 * </ul>
 * JOSDK's own meters are not filled in (they need a running operator); no alert or panel uses them.
 */
final class ExportedMetrics {
    /** Series Prometheus makes itself, with the target labels the chart's ServiceMonitors give. */
    static final Map<String, Set<String>> BUILT_IN = Map.of("up", Set.of(), "ALERTS", Set.of("alertname", "alertstate", "severity"));
    /**
     * Labels the scrape adds to every series of a target (alerts.yaml's header): their values are
     * the cluster's, not the code's.
     */
    static final Set<String> TARGET_LABELS = Set.of("job", "instance", "node", "namespace", "pod");

    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? \\S+$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** metric name -> label -> values seen */
    private final Map<String, Map<String, Set<String>>> series;

    private ExportedMetrics(Map<String, Map<String, Set<String>>> series) {
        this.series = series;
    }

    static ExportedMetrics ofComponents() {
        return parse(probeScrape() + operatorScrape());
    }

    static String probeScrape() {
        List<ProbeReport.OffenderEntry> offenders = java.util.Arrays.stream(Confidence.values())
                .map(c -> new ProbeReport.OffenderEntry("kubepods/pod" + c, "pod", "uid-" + c, null, 1, 1.0, 0.5, c, "r"))
                .toList();
        PrometheusSink sink = new PrometheusSink(offenders.size());
        // Figures unknown (NaN) except the offenders: the names, not the numbers, are wanted here.
        ProbeReport.Lookup lookup = new ProbeReport.Lookup(null, null, null, null, null, null, null, null, null, null, new double[0]);
        sink.publish(new ProbeReport("n", "2026-11-30T00:00:00Z", null, null, null, null, null, null, null, null, lookup,
                Verdict.HEALTHY, List.of(), offenders, List.of()));
        return sink.scrape();
    }

    static String operatorScrape() {
        PrometheusMeterRegistry registry = OperatorRegistry.create();
        OperatorMetrics metrics = new OperatorMetrics(registry);
        metrics.nodesByVerdict(Map::of);
        for (boolean dryRun : new boolean[] {false, true}) {
            for (TaintChange.Kind kind : TaintChange.Kind.values()) {
                metrics.action(kind, dryRun);
            }
            for (Ladder.Action step : Ladder.Action.values()) {
                // as Remediation names and counts a step: never NONE or WAIT
                if (step != Ladder.Action.NONE && step != Ladder.Action.WAIT) {
                    metrics.remediationStep(step.name().toLowerCase(Locale.ROOT), dryRun);
                }
            }
        }
        for (SkipReason reason : SkipReason.values()) {
            metrics.skipped(reason);
        }
        return registry.scrape();
    }

    static ExportedMetrics parse(String exposition) {
        Map<String, Map<String, Set<String>>> series = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SERIES.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a series line: " + line);
            }
            Map<String, Set<String>> labels = series.computeIfAbsent(m.group(1), k -> new TreeMap<>());
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.computeIfAbsent(l.group(1), k -> new TreeSet<>()).add(l.group(2));
                }
            }
        }
        return new ExportedMetrics(series);
    }

    Set<String> names() {
        return series.keySet();
    }

    /**
     * What is wrong with this selector, if anything: a metric nobody exports, a label it does not
     * carry, or a value of a code-given label that it never takes.
     */
    List<String> problems(PromQl.Selector s) {
        Map<String, Set<String>> labels;
        if (BUILT_IN.containsKey(s.metric())) {
            labels = new HashMap<>();
            for (String l : BUILT_IN.get(s.metric())) {
                labels.put(l, null);
            }
        } else if (series.containsKey(s.metric())) {
            labels = series.get(s.metric());
        } else {
            return List.of("metric " + s.metric() + " is not exported by the probe or the operator");
        }
        List<String> problems = new java.util.ArrayList<>();
        for (PromQl.LabelMatcher m : s.matchers()) {
            if (TARGET_LABELS.contains(m.label()) || m.label().equals("__name__")) {
                continue;
            }
            if (!labels.containsKey(m.label())) {
                problems.add(s.metric() + " has no label " + m.label() + " (it has " + labels.keySet() + ")");
                continue;
            }
            Set<String> seen = labels.get(m.label());
            if (seen == null) {
                continue; // a built-in's label: values are Prometheus's
            }
            List<String> wanted = switch (m.op()) {
                case "=", "!=" -> List.of(m.value());
                // an alternation of plain values: each must be one; any other regex is not checked
                case "=~", "!~" -> m.value().matches("[A-Za-z0-9_.:-]+(\\|[A-Za-z0-9_.:-]+)*")
                        ? List.of(m.value().split("\\|")) : List.of();
                default -> throw new IllegalArgumentException("matcher " + m);
            };
            for (String v : wanted) {
                if (!seen.contains(v)) {
                    problems.add(s.metric() + "{" + m.label() + "} is never \"" + v + "\" (it is one of " + seen + ")");
                }
            }
        }
        return problems;
    }
}
