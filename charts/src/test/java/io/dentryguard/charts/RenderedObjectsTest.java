package io.dentryguard.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dentryguard.operator.config.OperatorSettings;
import io.dentryguard.operator.config.SettingsLoader;
import io.dentryguard.probe.cli.Main;
import io.dentryguard.probe.cli.ProbeCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * helm template, defaults and every feature on: every object is a Kubernetes object with no unknown
 * field, and what the components are given is what they accept and need.
 */
class RenderedObjectsTest {

    static List<HasMetadata> render(String values) {
        return StrictObjects.parse(values.equals("defaults") ? Chart.renderDefaults() : Chart.renderAllOn());
    }

    @ParameterizedTest
    @ValueSource(strings = {"defaults", "all-on"})
    void everyObjectParsesStrictly(String values) {
        List<HasMetadata> objects = render(values);
        assertThat(objects).extracting(HasMetadata::getKind).contains("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
                "RoleBinding", "DaemonSet", "Deployment", "PodDisruptionBudget", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
        assertThat(objects).filteredOn(o -> !o.getKind().startsWith("Cluster") && !o.getKind().startsWith("ValidatingAdmission"))
                .extracting(o -> o.getMetadata().getNamespace()).containsOnly(Chart.NAMESPACE);
    }

    /** The strict parser is not lenient: a misspelt field fails it, which fabric8's own parsing would keep quietly. */
    @Test
    void theStrictParserRefusesAnUnknownField() {
        String misspelt = Chart.renderDefaults().replace("readOnlyRootFilesystem: true", "readOnlyRootFilesytem: true");
        assertThatThrownBy(() -> StrictObjects.parse(misspelt)).hasMessageContaining("readOnlyRootFilesytem");
    }

    @Test
    void optionalObjectsAreOffByDefault() {
        assertThat(render("defaults")).extracting(HasMetadata::getKind).doesNotContain("ServiceMonitor", "PrometheusRule", "ConfigMap", "Service");
    }

    @Test
    void everyFeatureOnAddsTheMonitoringObjects() {
        List<HasMetadata> objects = render("all-on");
        assertThat(StrictObjects.all(objects, ServiceMonitor.class)).extracting(s -> s.getMetadata().getName())
                .containsExactlyInAnyOrder("dentry-guard-probe", "dentry-guard-operator");
        assertThat(StrictObjects.all(objects, ServiceMonitor.class)).allSatisfy(s -> assertThat(s.getMetadata().getLabels()).containsEntry("release", "prometheus"));
        // The labels the alerts and the dashboard select on (files/alerts.yaml's header).
        assertThat(StrictObjects.one(objects, ServiceMonitor.class, "dentry-guard-probe").getSpec().getEndpoints().get(0).getRelabelings())
                .extracting(r -> r.getTargetLabel() + "=" + (r.getReplacement() != null ? r.getReplacement() : r.getSourceLabels()))
                .containsExactlyInAnyOrder("job=dentry-guard-probe", "node=[__meta_kubernetes_pod_node_name]");
        assertThat(StrictObjects.one(objects, ServiceMonitor.class, "dentry-guard-operator").getSpec().getEndpoints().get(0).getRelabelings())
                .extracting(r -> r.getTargetLabel() + "=" + r.getReplacement()).containsExactly("job=dentry-guard-operator");
        PrometheusRule rule = StrictObjects.one(objects, PrometheusRule.class, "dentry-guard");
        // files/alerts.yaml is embedded as it is: Prometheus's own {{ }} are not Helm's
        assertThat(rule.getSpec().getGroups()).isNotEmpty();
        assertThat(rule.getSpec().getGroups().get(0).getRules().get(0).getAnnotations().get("summary")).contains("{{ $labels.");
        ConfigMap dashboard = StrictObjects.one(objects, ConfigMap.class, "dentry-guard-dashboard");
        assertThat(dashboard.getData().get("dentry-guard.json")).isEqualToIgnoringWhitespace(readChartFile("files/dashboard.json"));
    }

    /** The probe's own command line accepts the DaemonSet's arguments, and they say what the values say. */
    @ParameterizedTest
    @ValueSource(strings = {"defaults", "all-on"})
    void theProbeAcceptsItsArguments(String values) {
        Container probe = probeContainer(render(values));
        List<String> args = probe.getArgs();
        assertThat(args.get(0)).as("the launcher's entry point").isEqualTo("probe");
        // parsed by the command line the launcher runs, subcommand included
        CommandLine.ParseResult parsed = Main.commandLine().parseArgs(args.toArray(String[]::new)).subcommand();
        assertThat(parsed.commandSpec().userObject()).isInstanceOf(ProbeCommand.class);
        assertThat(given(parsed, "--node")).isEqualTo("$(NODE_NAME)");
        assertThat(parsed.hasMatchedOption("--report-node-health")).isTrue();
        assertThat(given(parsed, "--cgroup-root")).isEqualTo("/host/sys/fs/cgroup");
        boolean allOn = values.equals("all-on");
        assertThat(parsed.hasMatchedOption("--reclaim-pods")).isEqualTo(allOn);
        assertThat(parsed.hasMatchedOption("--reclaim-node")).isEqualTo(allOn);
        if (allOn) {
            // drop_caches where the DaemonSet mounts the host's /proc/sys/vm
            assertThat(parsed.matchedOptionValue("--proc-sys-vm", (java.nio.file.Path) null)).hasToString("/host/proc/sys/vm");
            assertThat(probe.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/host/proc/sys/vm"));
        }
        assertThat(probe.getEnv()).filteredOn(e -> e.getName().equals("NODE_NAME"))
                .singleElement().satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName"));
        assertThat(probe.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort())
                .isEqualTo(Integer.parseInt(given(parsed, "--metrics-port"))));
    }

    /** The operator's own settings loader accepts the Deployment's DENTRYGUARD_* variables (it refuses unknown ones). */
    @ParameterizedTest
    @ValueSource(strings = {"defaults", "all-on"})
    void theOperatorAcceptsItsSettings(String values) {
        List<HasMetadata> objects = render(values);
        Container operator = operatorContainer(objects);
        assertThat(operator.getArgs()).containsExactly("operator");
        Map<String, String> env = operator.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        OperatorSettings settings = SettingsLoader.load(Optional.empty(), env, Map.of());
        boolean allOn = values.equals("all-on");
        assertThat(settings.policy().dryRun()).isEqualTo(allOn);
        assertThat(settings.leaderElection()).isEqualTo(OperatorSettings.LeaderElection.TRUE);
        assertThat(settings.policy().heartbeat()).isEqualTo(Duration.ofMinutes(5));
        assertThat(operator.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(settings.metricsPort()));
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(operator.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo(operator.getPorts().get(0).getName());
        assertThat(settings.remediation().reclaimPods()).isEqualTo(allOn);
        assertThat(settings.remediation().evictRepeatOffenders()).isEqualTo(allOn);
        assertThat(settings.remediation().reclaimNode()).isEqualTo(allOn);
        if (allOn) {
            assertThat(settings.policy().taintFrom()).containsEntry(io.dentryguard.api.v1alpha1.Verdict.CRITICAL,
                    io.dentryguard.operator.decide.TaintEffect.NO_EXECUTE);
            assertThat(env).containsEntry("OPERATOR_JVM_OPTIONS", "-Xmx512m");
        }
    }

    @Test
    void theOperatorRunsTwoReplicasUnderABudget() {
        List<HasMetadata> objects = render("defaults");
        Deployment operator = StrictObjects.one(objects, Deployment.class, Chart.OPERATOR_ACCOUNT);
        assertThat(operator.getSpec().getReplicas()).isEqualTo(2);
        PodDisruptionBudget budget = StrictObjects.one(objects, PodDisruptionBudget.class, Chart.OPERATOR_ACCOUNT);
        assertThat(budget.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(operator.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void theProbeRunsOnEveryNodeWhateverItsTaints() {
        DaemonSet probe = StrictObjects.one(render("defaults"), DaemonSet.class, Chart.PROBE_ACCOUNT);
        var pod = probe.getSpec().getTemplate().getSpec();
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getOperator()).isEqualTo("Exists");
            assertThat(t.getKey()).isNull();
            assertThat(t.getEffect()).isNull();
        });
        assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
        assertThat(pod.getServiceAccountName()).isEqualTo(Chart.PROBE_ACCOUNT);
    }

    @Test
    void imagesDefaultToTheChartsAppVersion() {
        List<HasMetadata> objects = render("defaults");
        String image = "localhost/dentry-guard:" + System.getProperty("project.version");
        assertThat(probeContainer(objects).getImage()).isEqualTo(image);
        assertThat(operatorContainer(objects).getImage()).isEqualTo(image);
    }

    private static String given(CommandLine.ParseResult parsed, String option) {
        Object value = parsed.matchedOption(option).getValue();
        return String.valueOf(value);
    }

    static Container probeContainer(List<HasMetadata> objects) {
        return StrictObjects.one(objects, DaemonSet.class, Chart.PROBE_ACCOUNT).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static Container operatorContainer(List<HasMetadata> objects) {
        return StrictObjects.one(objects, Deployment.class, Chart.OPERATOR_ACCOUNT).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static String readChartFile(String path) {
        try {
            return java.nio.file.Files.readString(Chart.dir().resolve(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
