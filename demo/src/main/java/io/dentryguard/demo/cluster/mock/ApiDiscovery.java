package io.dentryguard.demo.cluster.mock;

import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The discovery documents kubectl reads before anything else ({@code /version}, {@code /api},
 * {@code /apis}, {@code /api/v1}, {@code /apis/GROUP/VERSION}) for the built-in resources the demo
 * uses and the custom resources added. Answered in the legacy form: kubectl 1.32 asks for aggregated
 * discovery first and reads a plain {@code APIGroupList} when that is what comes back.
 */
public final class ApiDiscovery {
    private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    private static final String KUBERNETES_VERSION = "v1.33.0";

    /** Resources by group version ("v1" for the core group), in the order kubectl prefers them. */
    private final Map<String, List<APIResource>> resources = new LinkedHashMap<>();

    public ApiDiscovery() {
        add("v1", resource("namespaces", "Namespace", false, "ns"), resource("nodes", "Node", false, "no"), status("nodes", "Node", false),
                resource("pods", "Pod", true, "po"), status("pods", "Pod", true),
                new APIResourceBuilder().withName("pods/eviction").withKind("Eviction").withGroup("policy").withVersion("v1")
                        .withNamespaced(true).withVerbs("create").withSingularName("").build(),
                new APIResourceBuilder().withName("pods/log").withKind("Pod").withNamespaced(true).withVerbs("get").withSingularName("").build(),
                resource("events", "Event", true, "ev"), resource("configmaps", "ConfigMap", true, "cm"),
                resource("secrets", "Secret", true), resource("serviceaccounts", "ServiceAccount", true, "sa"),
                resource("services", "Service", true, "svc"));
        add("apps/v1", resource("deployments", "Deployment", true, "deploy"), resource("daemonsets", "DaemonSet", true, "ds"),
                resource("replicasets", "ReplicaSet", true, "rs"), resource("statefulsets", "StatefulSet", true, "sts"));
        add("coordination.k8s.io/v1", resource("leases", "Lease", true));
        add("events.k8s.io/v1", resource("events", "Event", true));
        add("policy/v1", resource("poddisruptionbudgets", "PodDisruptionBudget", true, "pdb"));
        add("apiextensions.k8s.io/v1", resource("customresourcedefinitions", "CustomResourceDefinition", false, "crd", "crds"));
    }

    /** Serves {@code crd}'s resources (each served version) from now on. */
    public ApiDiscovery withCustomResource(CustomResourceDefinition crd) {
        CustomResourceDefinitionSpec spec = crd.getSpec();
        for (CustomResourceDefinitionVersion version : spec.getVersions()) {
            if (!Boolean.TRUE.equals(version.getServed())) {
                continue;
            }
            List<APIResource> list = new ArrayList<>(List.of(new APIResourceBuilder().withName(spec.getNames().getPlural())
                    .withSingularName(spec.getNames().getSingular()).withKind(spec.getNames().getKind())
                    .withNamespaced("Namespaced".equals(spec.getScope())).withShortNames(spec.getNames().getShortNames())
                    .withCategories(spec.getNames().getCategories()).withVerbs(VERBS).build()));
            if (version.getSubresources() != null && version.getSubresources().getStatus() != null) {
                list.add(status(spec.getNames().getPlural(), spec.getNames().getKind(), "Namespaced".equals(spec.getScope())));
            }
            add(spec.getGroup() + "/" + version.getName(), list.toArray(APIResource[]::new));
        }
        return this;
    }

    /** The discovery document at {@code path} (no query), or empty where the path is not a discovery path. */
    public Optional<String> document(String path) {
        if (path.equals("/version")) {
            String minor = KUBERNETES_VERSION.split("\\.")[1];
            return Optional.of("""
                    {"major":"1","minor":"%s","gitVersion":"%s","gitCommit":"","gitTreeState":"clean","buildDate":"1970-01-01T00:00:00Z",\
                    "goVersion":"","compiler":"gc","platform":"linux/amd64"}""".formatted(minor, KUBERNETES_VERSION));
        }
        if (path.equals("/api")) {
            return Optional.of(Serialization.asJson(new APIVersionsBuilder().withVersions("v1").withServerAddressByClientCIDRs(List.of()).build()));
        }
        if (path.equals("/apis")) {
            APIGroupListBuilder groups = new APIGroupListBuilder();
            resources.keySet().stream().filter(gv -> gv.contains("/")).forEach(gv -> {
                GroupVersionForDiscovery version = new GroupVersionForDiscovery(gv, gv.substring(gv.indexOf('/') + 1));
                groups.addToGroups(new APIGroupBuilder().withName(gv.substring(0, gv.indexOf('/'))).withVersions(version)
                        .withPreferredVersion(version).build());
            });
            return Optional.of(Serialization.asJson(groups.build()));
        }
        String groupVersion = path.startsWith("/api/") ? path.substring("/api/".length())
                : path.startsWith("/apis/") ? path.substring("/apis/".length()) : null;
        return Optional.ofNullable(groupVersion).map(resources::get).map(list -> Serialization.asJson(
                new APIResourceListBuilder().withGroupVersion(groupVersion).withResources(list).build()));
    }

    /** The kind of {@code plural} in {@code groupVersion} ("v1" for the core group), where it is served. */
    public Optional<String> kind(String groupVersion, String plural) {
        return resources.getOrDefault(groupVersion, List.of()).stream().filter(r -> r.getName().equals(plural)).map(APIResource::getKind)
                .findFirst();
    }

    private void add(String groupVersion, APIResource... added) {
        resources.computeIfAbsent(groupVersion, gv -> new ArrayList<>()).addAll(List.of(added));
    }

    private static APIResource resource(String plural, String kind, boolean namespaced, String... shortNames) {
        return new APIResourceBuilder().withName(plural).withSingularName(kind.toLowerCase(java.util.Locale.ROOT)).withKind(kind)
                .withNamespaced(namespaced).withShortNames(shortNames).withVerbs(VERBS).build();
    }

    private static APIResource status(String plural, String kind, boolean namespaced) {
        return new APIResourceBuilder().withName(plural + "/status").withSingularName("").withKind(kind).withNamespaced(namespaced)
                .withVerbs("get", "patch", "update").build();
    }
}
