package io.dentryguard.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.dentryguard.api.testing.RealApiServer;
import io.dentryguard.api.testing.RealApiServerPerClass;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * helm install (helm-java, no wait: there is no kubelet) of the chart into a real API server, twice:
 * release dentry-guard with the defaults, and release dg-all in its own namespace with every feature
 * on (the Prometheus Operator's CRDs applied first). Every object accepted, field by field; the
 * chart's admission policy enforced with pod-bound tokens; the chart's roles tried as each account.
 */
class ChartInstallIT {
    private static final String ALL_ON_RELEASE = "dg-all";
    @RegisterExtension
    static final RealApiServerPerClass SERVER = new RealApiServerPerClass();
    @TempDir
    static Path dir;
    private static RealApiServer api;
    private static Path kubeconfig;

    @BeforeAll
    static void install() throws Exception {
        api = SERVER.api();
        kubeconfig = api.kubeconfig(dir);
        for (String crd : List.of("monitoring.coreos.com_servicemonitors.yaml", "monitoring.coreos.com_prometheusrules.yaml")) {
            applyEstablished(Chart.testValues("prometheus-operator-crds/" + crd));
        }
        for (String node : List.of("node-a", "node-b")) {
            api.node(node);
        }
        installRelease(Chart.RELEASE, Chart.NAMESPACE, null);
        installRelease(ALL_ON_RELEASE, ALL_ON_RELEASE, Chart.testValues(Chart.ALL_ON));
    }

    @AfterAll
    static void uninstall() {
        for (String release : List.of(Chart.RELEASE, ALL_ON_RELEASE)) {
            Helm.uninstall(release).withNamespace(release.equals(Chart.RELEASE) ? Chart.NAMESPACE : release).ignoreNotFound()
                    .withKubeConfig(kubeconfig).call();
        }
    }

    private static void applyEstablished(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            CustomResourceDefinition crd = api.client.apiextensions().v1().customResourceDefinitions()
                    .resource(Serialization.unmarshal(in, CustomResourceDefinition.class)).serverSideApply();
            Awaitility.await("CRD " + crd.getMetadata().getName() + " established").atMost(Duration.ofSeconds(30))
                    .until(() -> api.client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get()
                            .getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")));
        }
    }

    /**
     * Before the install, each rendered object is created in a strict server dry run (the server's own
     * schema, unknown fields refused: helm install would let the server drop them silently); then installed.
     */
    private static void installRelease(String release, String namespace, Path values) {
        var template = new Helm(Chart.dir()).template().withName(release).withNamespace(namespace).withKubeVersion(RealApiServer.kubernetesVersion());
        var install = new Helm(Chart.dir()).install().withName(release).withNamespace(namespace).createNamespace().withKubeConfig(kubeconfig);
        if (values != null) {
            template.withValuesFile(values);
            install.withValuesFile(values);
        }
        // the namespace first, for the dry run of its objects (helm's createNamespace takes it as it is)
        api.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).serverSideApply();
        for (GenericKubernetesResource object : generic(template.call())) {
            api.client.resource(object).dryRun().fieldValidation(FieldValidateable.Validation.STRICT).create();
        }
        Release installed = install.call();
        assertThat(installed.getStatus()).isEqualTo("deployed");
    }

    private static List<GenericKubernetesResource> generic(String yaml) {
        return Stream.of(new Load(LoadSettings.builder().build()).loadAllFromString(yaml).iterator()).flatMap(it -> {
            Stream.Builder<Object> docs = Stream.builder();
            it.forEachRemaining(docs);
            return docs.build();
        }).filter(java.util.Objects::nonNull).map(doc -> Serialization.jsonMapper().convertValue(doc, GenericKubernetesResource.class)).toList();
    }

    static Stream<Arguments> releases() {
        return Stream.of(Arguments.of(Chart.RELEASE, Chart.NAMESPACE, null), Arguments.of(ALL_ON_RELEASE, ALL_ON_RELEASE, Chart.ALL_ON));
    }

    /** Every object the chart renders is on the server as rendered (kind, name, namespace). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void everyRenderedObjectIsOnTheServer(String release, String namespace, String values) {
        var template = new Helm(Chart.dir()).template().withName(release).withNamespace(namespace).withKubeVersion(RealApiServer.kubernetesVersion());
        if (values != null) {
            template.withValuesFile(Chart.testValues(values));
        }
        List<GenericKubernetesResource> rendered = generic(template.call());
        assertThat(rendered).hasSizeGreaterThan(10);
        assertThat(rendered).allSatisfy(o -> assertThat(api.client.resource(o).get()).as(o.getKind() + " " + o.getMetadata().getName()).isNotNull());
        if (values != null) {
            assertThat(rendered).extracting(GenericKubernetesResource::getKind).contains("ServiceMonitor", "PrometheusRule", "ConfigMap");
        }
    }

    /** The server keeps recursiveReadOnly (a server whose feature gate is off drops it silently, and the v1 controllers stay writable). */
    @org.junit.jupiter.api.Test
    void theServerKeepsTheRecursiveReadOnlyOfTheCgroupMount() {
        var mounts = api.client.apps().daemonSets().inNamespace(Chart.NAMESPACE).withName(Chart.PROBE_ACCOUNT).get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts();
        assertThat(mounts).filteredOn(m -> m.getMountPath().equals("/host/sys/fs/cgroup")).singleElement()
                .satisfies(m -> assertThat(m.getRecursiveReadOnly()).isEqualTo("IfPossible"));
    }

    /** The policy of each release binds that release's probe to the node its token is bound to. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void aProbeWritesOnlyItsOwnNodesNodeHealthStatus(String release, String namespace, String values) {
        String account = release + "-probe";
        String pod = release + "-probe-on-node-a";
        api.client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(pod).endMetadata().withNewSpec()
                .withNodeName("node-a").withServiceAccountName(account).addNewContainer().withName("probe").withImage("localhost/dentry-guard:test")
                .endContainer().endSpec().build()).createOr(existing -> existing.update());
        try (KubernetesClient probeOnA = api.clientWithToken(api.podBoundToken(namespace, account, pod))) {
            // A new policy takes a moment to be enforced: until node-b's status write is refused, nothing is asserted.
            NodeHealth b = new NodeHealth();
            b.getMetadata().setName("node-b");
            api.client.resource(b).createOr(existing -> existing.update());
            Awaitility.await("the admission policy of " + release + " enforced").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> refused(() -> writeVerdict(probeOnA, "node-b")) != null);
            assertThat(refused(() -> writeVerdict(probeOnA, "node-b"))).contains("this token is bound to node node-a, not node-b");
            NodeHealth a = new NodeHealth();
            a.getMetadata().setName("node-a");
            if (api.client.resources(NodeHealth.class).withName("node-a").get() == null) {
                probeOnA.resource(a).create();
            }
            writeVerdict(probeOnA, "node-a");
            assertThat(api.client.resources(NodeHealth.class).withName("node-a").get().getStatus().getVerdict().displayName()).isEqualTo("Degraded");
            assertThat(refused(() -> probeOnA.resources(NodeHealth.class).withName("node-a").patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\": {\"paused\": true}}"))).isNotNull();
        }
    }

    private static void writeVerdict(KubernetesClient client, String node) {
        client.resources(NodeHealth.class).withName(node).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\": {\"verdict\": \"Degraded\"}}");
    }

    /** The message of a 403, or null when the call passed (any other failure fails the test). */
    private static String refused(ThrowingCallable call) {
        try {
            call.call();
            return null;
        } catch (KubernetesClientException e) {
            assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403);
            return e.getMessage();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** One request a component's service account makes or must not: verb, group, resource, subresource, namespace. */
    record Access(String component, String verb, String group, String resource, String subresource, String namespace,
                  boolean byDefault, boolean withEveryRung) {
        @Override
        public String toString() {
            return component + " " + verb + " " + (group.isEmpty() ? "" : group + "/") + resource + (subresource.isEmpty() ? "" : "/" + subresource)
                    + (namespace.isEmpty() ? "" : " in " + namespace);
        }
    }

    static Stream<Access> accesses() {
        return Stream.of(
                new Access("probe", "get", "", "nodes", "", "", true, true),
                new Access("probe", "create", "dentryguard.io", "nodehealths", "", "", true, true),
                new Access("probe", "watch", "dentryguard.io", "nodehealths", "", "", true, true),
                new Access("probe", "patch", "dentryguard.io", "nodehealths", "status", "", true, true),
                new Access("probe", "list", "", "pods", "", "", true, true),
                new Access("probe", "patch", "", "nodes", "", "", false, false),
                new Access("probe", "patch", "dentryguard.io", "nodehealths", "", "", false, false),
                new Access("probe", "delete", "dentryguard.io", "nodehealths", "", "", false, false),
                new Access("probe", "list", "", "secrets", "", "", false, false),
                new Access("operator", "watch", "", "nodes", "", "", true, true),
                new Access("operator", "patch", "", "nodes", "", "", true, true),
                new Access("operator", "patch", "", "nodes", "status", "", true, true),
                new Access("operator", "patch", "dentryguard.io", "nodehealths", "", "", true, true),
                new Access("operator", "create", "", "events", "", "default", true, true),
                new Access("operator", "get", "", "pods", "", "default", true, true),
                new Access("operator", "get", "apps", "replicasets", "", "default", true, true),
                new Access("operator", "create", "", "pods", "eviction", "default", false, true),
                new Access("operator", "delete", "", "pods", "", "default", false, false),
                new Access("operator", "list", "", "secrets", "", "", false, false),
                new Access("operator", "delete", "", "nodes", "", "", false, false),
                new Access("operator", "update", "coordination.k8s.io", "leases", "", "OWN", true, true),
                new Access("operator", "update", "coordination.k8s.io", "leases", "", "default", false, false));
    }

    /** Each account asks the server itself (a SelfSubjectAccessReview with its own token) under each release's roles. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("accesses")
    void theRolesAllowWhatEachComponentDoesAndNothingElse(Access access) {
        for (var release : Map.of(Chart.RELEASE, Chart.NAMESPACE, ALL_ON_RELEASE, ALL_ON_RELEASE).entrySet()) {
            boolean expected = release.getKey().equals(Chart.RELEASE) ? access.byDefault() : access.withEveryRung();
            String namespace = access.namespace().equals("OWN") ? release.getValue() : access.namespace();
            try (KubernetesClient as = api.clientAs(release.getValue(), release.getKey() + "-" + access.component())) {
                boolean allowed = as.authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder().withNewSpec()
                        .withResourceAttributes(new ResourceAttributesBuilder().withVerb(access.verb()).withGroup(access.group())
                                .withResource(access.resource()).withSubresource(access.subresource()).withNamespace(namespace).build())
                        .endSpec().build()).getStatus().getAllowed();
                assertThat(allowed).as("%s, release %s", access, release.getKey()).isEqualTo(expected);
            }
        }
    }
}
