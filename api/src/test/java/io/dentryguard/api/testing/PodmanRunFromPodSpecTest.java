package io.dentryguard.api.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pod spec to podman run conversion: what it maps, and that it refuses what it cannot map or must not allow. */
class PodmanRunFromPodSpecTest {
    private static final PodmanRunFromPodSpec.Downward DOWNWARD = new PodmanRunFromPodSpec.Downward("node-a", "pod-a", "ns");

    @TempDir
    Path scratch;

    private PodmanRunFromPodSpec convert(String containerYaml, String podYaml) {
        String yaml = """
                spec:
                  %s
                  containers:
                    - name: probe
                      image: example
                      %s
                """.formatted(podYaml.replace("\n", "\n  "), containerYaml.replace("\n", "\n      "));
        return PodmanRunFromPodSpec.of(Serialization.unmarshal(yaml, PodTemplateSpec.class), "probe", DOWNWARD, scratch);
    }

    @Test
    void mapsTheSecuritySettingsTheEnvironmentAndAnEmptyDir() {
        PodmanRunFromPodSpec run = convert("""
                args: [probe, --once]
                env:
                  - name: NODE_NAME
                    valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
                securityContext:
                  runAsUser: 0
                  allowPrivilegeEscalation: false
                  readOnlyRootFilesystem: true
                  capabilities: {drop: [ALL]}
                volumeMounts:
                  - {name: state, mountPath: /var/lib/x}
                  - {name: mem, mountPath: /run/x}""", """
                securityContext: {seccompProfile: {type: RuntimeDefault}}
                volumes:
                  - {name: state, emptyDir: {}}
                  - {name: mem, emptyDir: {medium: Memory, sizeLimit: 1Mi}}""");

        assertThat(run.args()).containsExactly("probe", "--once");
        assertThat(run.options()).contains("--user=0", "--security-opt=no-new-privileges", "--read-only", "--read-only-tmpfs=false",
                "--cap-drop=ALL", "--env=NODE_NAME=node-a", "--tmpfs=/run/x:rw,size=1048576")
                .doesNotContain("--security-opt=seccomp=unconfined");
        assertThat(run.made()).singleElement().satisfies(dir -> {
            assertThat(dir).startsWith(scratch).isDirectory();
            assertThat(run.options()).contains("--volume=" + dir + ":/var/lib/x");
        });
        assertThat(run.optionsWithout("/var/lib/x")).noneMatch(o -> o.endsWith(":/var/lib/x"));
    }

    @Test
    void withoutASeccompProfileThePodRunsUnconfinedAsTheKubeletRunsIt() {
        assertThat(convert("args: [probe]", "").options()).containsExactly("--security-opt=seccomp=unconfined");
    }

    @Test
    void aReadOnlyMountIsRecursiveOnlyWithRecursiveReadOnly() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/sys/fs/cgroup/memory")), "needs cgroup v1 controllers mounted below /sys/fs/cgroup");
        String volumes = "volumes:\n  - {name: cg, hostPath: {path: /sys/fs/cgroup, type: Directory}}";
        PodmanRunFromPodSpec top = convert("volumeMounts:\n  - {name: cg, mountPath: /host/cg, readOnly: true}", volumes);
        PodmanRunFromPodSpec recursive = convert(
                "volumeMounts:\n  - {name: cg, mountPath: /host/cg, readOnly: true, recursiveReadOnly: IfPossible}", volumes);

        assertThat(top.options()).filteredOn(o -> o.startsWith("--volume=")).containsExactly("--volume=/sys/fs/cgroup:/host/cg:ro");
        assertThat(recursive.options()).contains("--volume=/sys/fs/cgroup:/host/cg:ro", "--volume=/sys/fs/cgroup/memory:/host/cg/memory:ro");
    }

    @Test
    void refusesWhatALeastPrivilegedPodMustNotHave() {
        assertThatThrownBy(() -> convert("securityContext: {privileged: true}", "")).hasMessageContaining("privileged");
        assertThatThrownBy(() -> convert("args: [probe]", "hostPID: true")).hasMessageContaining("spec.hostPID is true");
        assertThatThrownBy(() -> convert("args: [probe]", "hostNetwork: true")).hasMessageContaining("spec.hostNetwork is true");
        assertThatThrownBy(() -> convert("ports: [{containerPort: 1, hostPort: 1}]", "")).hasMessageContaining("hostPort");
    }

    @Test
    void refusesAFieldItDoesNotKnowHowToMapNamingIt() {
        assertThatThrownBy(() -> convert("securityContext: {procMount: Unmasked}", ""))
                .hasMessageContaining("spec.containers[].securityContext.[procMount]");
        assertThatThrownBy(() -> convert("workingDir: /x", "")).hasMessageContaining("[workingDir]");
        assertThatThrownBy(() -> convert("volumeMounts:\n  - {name: c, mountPath: /c}", "volumes:\n  - {name: c, configMap: {name: c}}"))
                .hasMessageContaining("[configMap]");
        assertThatThrownBy(() -> convert("volumeMounts:\n  - {name: c, mountPath: /c, subPath: x}", "volumes:\n  - {name: c, emptyDir: {}}"))
                .hasMessageContaining("[subPath]");
        assertThatThrownBy(() -> convert("command: [sh]", "")).hasMessageContaining("entry point");
    }
}
