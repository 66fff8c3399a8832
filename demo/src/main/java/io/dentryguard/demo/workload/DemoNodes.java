package io.dentryguard.demo.workload;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's two Nodes: this host, where the pods really run, and a virtual node where pods are
 * placed and shown but not run, so that an evicted pod has somewhere else to go.
 */
public final class DemoNodes {
    public static final String VIRTUAL = "virtual-node-1";
    /** Added by the API server's admission to a new Node until a kubelet says it is ready; no kubelet here does. */
    private static final String NOT_READY = "node.kubernetes.io/not-ready";

    private DemoNodes() {}

    /** This host's name as a Node name (lower case, DNS-1123), as the kubelet registers it. */
    public static String hostNodeName(String hostname) {
        String name = hostname.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-").replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
        return name.isEmpty() ? "demo-host" : name.length() > 63 ? name.substring(0, 63).replaceAll("[^a-z0-9]+$", "") : name;
    }

    /** Registers both Nodes, Ready, with the figures {@code kubectl describe node} shows. */
    public static void register(KubernetesClient client, String hostNode, String kernel, String osImage) {
        create(client, node(hostNode, kernel, osImage, "podman (stand-in kubelet of dentry-guard demo)", Map.of()));
        create(client, node(VIRTUAL, kernel, osImage, "none (virtual: pods are shown, not run)", Map.of("dentryguard.io/demo-virtual", "true")));
    }

    private static Node node(String name, String kernel, String osImage, String runtime, Map<String, String> labels) {
        String now = Instant.now().toString();
        return new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name)
                .addToLabels("kubernetes.io/os", "linux").addToLabels(labels).endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus()
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").withMessage("stand-in kubelet is posting ready status")
                .withLastHeartbeatTime(now).withLastTransitionTime(now).endCondition()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .withNewNodeInfo().withKernelVersion(kernel).withOsImage(osImage).withContainerRuntimeVersion(runtime)
                .withKubeletVersion("stand-in").withKubeProxyVersion("").withOperatingSystem("linux")
                .withArchitecture(System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64")
                .withMachineID("").withSystemUUID("").withBootID("").endNodeInfo()
                .endStatus().build();
    }

    private static void create(KubernetesClient client, Node node) {
        Node created = client.nodes().resource(node).create();
        if (created.getSpec() != null && created.getSpec().getTaints() != null
                && created.getSpec().getTaints().stream().anyMatch(t -> NOT_READY.equals(t.getKey()))) {
            client.nodes().withName(node.getMetadata().getName()).edit(n -> {
                n.getSpec().getTaints().removeIf(t -> NOT_READY.equals(t.getKey()));
                return n;
            });
        }
    }
}
