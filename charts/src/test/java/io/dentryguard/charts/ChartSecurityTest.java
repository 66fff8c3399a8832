package io.dentryguard.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The security settings of issue 12, asserted on the rendered chart, defaults and every feature on. */
class ChartSecurityTest {

    private static List<HasMetadata> renderWith(Map<String, Object> sets) {
        var template = Chart.template();
        sets.forEach(template::set);
        return StrictObjects.parse(template.call());
    }

    private static List<PodSpec> pods(List<HasMetadata> objects) {
        return Stream.concat(StrictObjects.all(objects, DaemonSet.class).stream().map(d -> d.getSpec().getTemplate().getSpec()),
                StrictObjects.all(objects, Deployment.class).stream().map(d -> d.getSpec().getTemplate().getSpec())).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"defaults", "all-on"})
    void everyContainerIsLockedDown(String values) {
        List<PodSpec> pods = pods(RenderedObjectsTest.render(values));
        assertThat(pods).hasSize(2);
        for (PodSpec pod : pods) {
            assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
            assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
            assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
            assertThat(pod.getInitContainers()).isEmpty();
            for (Container c : pod.getContainers()) {
                var sc = c.getSecurityContext();
                assertThat(sc.getPrivileged()).as(c.getName() + " privileged").isFalse();
                assertThat(sc.getAllowPrivilegeEscalation()).as(c.getName() + " allowPrivilegeEscalation").isFalse();
                assertThat(sc.getReadOnlyRootFilesystem()).as(c.getName() + " readOnlyRootFilesystem").isTrue();
                assertThat(sc.getCapabilities().getDrop()).as(c.getName() + " capabilities dropped").containsExactly("ALL");
                assertThat(sc.getCapabilities().getAdd()).as(c.getName() + " capabilities added").isEmpty();
                assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
                assertThat(sc.getProcMount()).isNull();
            }
        }
    }

    @Test
    void theProbeIsRootOnlyForSlabinfoAndTheOperatorIsNotRoot() {
        List<HasMetadata> objects = RenderedObjectsTest.render("defaults");
        assertThat(RenderedObjectsTest.probeContainer(objects).getSecurityContext().getRunAsUser()).isZero();
        Deployment operator = StrictObjects.one(objects, Deployment.class, Chart.OPERATOR_ACCOUNT);
        assertThat(operator.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        var container = RenderedObjectsTest.operatorContainer(objects).getSecurityContext();
        assertThat(container.getRunAsNonRoot()).isTrue();
        assertThat(container.getRunAsUser()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"defaults", "all-on"})
    void noRuleHasAWildcardAndEveryBindingIsToTheChartsOwnRoles(String values) {
        List<HasMetadata> objects = RenderedObjectsTest.render(values);
        List<PolicyRule> rules = new ArrayList<>();
        StrictObjects.all(objects, ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
        StrictObjects.all(objects, Role.class).forEach(r -> rules.addAll(r.getRules()));
        assertThat(rules).isNotEmpty().allSatisfy(rule -> assertThat(Stream.of(rule.getApiGroups(), rule.getResources(), rule.getVerbs(),
                rule.getResourceNames(), rule.getNonResourceURLs()).filter(Objects::nonNull).flatMap(List::stream))
                .as("rule %s", rule).noneMatch(s -> s.contains("*")));
        assertThat(StrictObjects.all(objects, ClusterRole.class)).allSatisfy(r -> assertThat(r.getAggregationRule()).isNull());
        List<RoleRef> refs = Stream.concat(StrictObjects.all(objects, ClusterRoleBinding.class).stream().map(ClusterRoleBinding::getRoleRef),
                StrictObjects.all(objects, RoleBinding.class).stream().map(RoleBinding::getRoleRef)).toList();
        assertThat(refs).extracting(RoleRef::getName).doesNotContain("cluster-admin", "admin", "edit", "view");
        var ownRoles = Stream.concat(StrictObjects.all(objects, ClusterRole.class).stream(), StrictObjects.all(objects, Role.class).stream())
                .map(r -> r.getKind() + "/" + r.getMetadata().getName()).collect(Collectors.toSet());
        assertThat(refs).allSatisfy(ref -> assertThat(ownRoles).contains(ref.getKind() + "/" + ref.getName()));
    }

    /** remediation.evict alone grants pods/eviction (evict needs reclaimPods, per the schema). */
    @Test
    void podsEvictionOnlyWhenEvictionIsOn() {
        assertThat(operatorResources(renderWith(Map.of()))).doesNotContain("pods/eviction");
        assertThat(operatorResources(renderWith(Map.of("remediation.reclaimPods", true)))).doesNotContain("pods/eviction");
        assertThat(operatorResources(renderWith(Map.of("remediation.reclaimPods", true, "remediation.evict", true)))).contains("pods/eviction");
    }

    private static List<String> operatorResources(List<HasMetadata> objects) {
        return StrictObjects.one(objects, ClusterRole.class, Chart.OPERATOR_ACCOUNT).getRules().stream()
                .flatMap(r -> r.getResources().stream()).toList();
    }

    /** Every host mount read-only, recursively, by default. */
    @Test
    void hostMountsAreReadOnlyByDefault() {
        Map<String, VolumeMount> mounts = hostMounts(renderWith(Map.of()));
        assertThat(mounts).containsOnlyKeys("/sys/fs/cgroup");
        assertThat(mounts.values()).allSatisfy(m -> {
            assertThat(m.getReadOnly()).as(m.getMountPath()).isTrue();
            assertThat(m.getRecursiveReadOnly()).as(m.getMountPath()).isEqualTo("IfPossible");
        });
    }

    @Test
    void thePodRungMakesTheCgroupTreeWritableAndNothingElse() {
        Map<String, VolumeMount> mounts = hostMounts(renderWith(Map.of("remediation.reclaimPods", true)));
        assertThat(mounts).containsOnlyKeys("/sys/fs/cgroup");
        assertThat(mounts.get("/sys/fs/cgroup").getReadOnly()).isFalse();
    }

    @Test
    void theNodeRungAddsAWritableProcSysVmAndLeavesTheCgroupTreeReadOnly() {
        Map<String, VolumeMount> mounts = hostMounts(renderWith(Map.of("remediation.reclaimNode", true)));
        assertThat(mounts).containsOnlyKeys("/sys/fs/cgroup", "/proc/sys/vm");
        assertThat(mounts.get("/proc/sys/vm").getReadOnly()).isFalse();
        assertThat(mounts.get("/sys/fs/cgroup").getReadOnly()).isTrue();
    }

    /** The probe's host mounts by host path (only the probe has any). */
    private static Map<String, VolumeMount> hostMounts(List<HasMetadata> objects) {
        assertThat(StrictObjects.all(objects, Deployment.class)).allSatisfy(d -> assertThat(d.getSpec().getTemplate().getSpec().getVolumes())
                .allSatisfy(v -> assertThat(v.getHostPath()).isNull()));
        PodSpec probe = StrictObjects.one(objects, DaemonSet.class, Chart.PROBE_ACCOUNT).getSpec().getTemplate().getSpec();
        Map<String, String> hostPathByVolume = probe.getVolumes().stream().filter(v -> v.getHostPath() != null)
                .collect(Collectors.toMap(Volume::getName, v -> v.getHostPath().getPath()));
        return probe.getContainers().get(0).getVolumeMounts().stream().filter(m -> hostPathByVolume.containsKey(m.getName()))
                .collect(Collectors.toMap(m -> hostPathByVolume.get(m.getName()), m -> m));
    }
}
