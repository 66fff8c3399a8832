package io.dentryguard.demo.cluster;

import static io.dentryguard.demo.cluster.DemoObjects.NAMESPACE;
import static io.dentryguard.demo.cluster.DemoObjects.NODE;
import static io.dentryguard.demo.cluster.DemoObjects.POD;
import static io.dentryguard.demo.cluster.DemoObjects.REASON;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the demo needs of either embedded API server: the real kubectl, with nothing but the printed
 * kubeconfig, shows the demo's objects as it does on a real cluster, and pods can be evicted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EmbeddedApiContract {
    protected EmbeddedApi api;
    protected Kubectl kubectl;

    abstract EmbeddedApi start(Path workDir);

    @BeforeAll
    void startWithTheDemoObjects(@TempDir Path workDir) {
        api = start(workDir.resolve("api"));
        kubectl = new Kubectl(api.kubeconfig(), workDir.resolve("kube-cache"));
        DemoObjects.create(api.client());
    }

    @AfterAll
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void theKubeconfigIsAFileInTheWorkDirectory() {
        assertThat(api.kubeconfig()).isRegularFile().hasFileName("kubeconfig");
    }

    @Test
    void getNodehealthFillsThePrinterColumnsOfTheCrd() {
        Kubectl.Run run = kubectl.run("get", "nodehealth");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("VERDICT", "CHAIN", "SLOWDOWN", "NEGATIVE", "TOP-OFFENDER", "TAINTED", "LAST-REPORT")
                .containsPattern(NODE + "\\s+Degraded\\s+7\\.5\\s+3\\.25\\s+2000000\\s+demo/flooder\\s+true\\s+\\d+s");
    }

    @Test
    void getNhFindsNodeHealthsByTheirShortName() {
        Kubectl.Run run = kubectl.run("get", "nh", NODE);
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("VERDICT").contains("Degraded");
    }

    @Test
    void getNodesShowsStatusRolesAndVersion() {
        Kubectl.Run run = kubectl.run("get", "nodes", "-o", "wide");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("STATUS", "ROLES", "KERNEL-VERSION")
                .containsPattern(NODE + "\\s+Ready\\s+worker\\s+\\S+\\s+v1\\.33\\.13\\s+10\\.0\\.0\\.11\\s+<none>\\s+Debian GNU/Linux 12 \\(bookworm\\)\\s+6\\.1\\.0-demo\\s+containerd://1\\.7\\.24");
    }

    @Test
    void getPodsInAllNamespacesWideShowsTheNodeOfEachPod() {
        Kubectl.Run run = kubectl.run("get", "pods", "-A", "-o", "wide");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("NAMESPACE", "READY", "NODE")
                .containsPattern(NAMESPACE + "\\s+" + POD + "\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+10\\.244\\.1\\.7\\s+" + NODE);
    }

    @Test
    void describeNodeListsThePodOnItAndTheEventAboutIt() {
        Kubectl.Run run = kubectl.run("describe", "node", NODE);
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("Name:               " + NODE).containsPattern(NAMESPACE + "\\s+" + POD)
                .containsPattern("Warning\\s+" + REASON);
    }

    @Test
    void getEventsInAllNamespacesShowsTheReasonAndObject() {
        Kubectl.Run run = kubectl.run("get", "events", "-A");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("LAST SEEN", "REASON", "OBJECT").containsPattern("Warning\\s+" + REASON + "\\s+node/" + NODE);
    }

    @Test
    void evictingAPodThroughTheClientTakesItAway() {
        DemoObjects.pod(api.client(), "evicted");
        assertThat(api.client().pods().inNamespace(NAMESPACE).withName("evicted").evict()).isTrue();
        Pod after = api.client().pods().inNamespace(NAMESPACE).withName("evicted").get();
        assertThat(after == null || after.getMetadata().getDeletionTimestamp() != null).as("gone or terminating: %s", after).isTrue();
    }
}
