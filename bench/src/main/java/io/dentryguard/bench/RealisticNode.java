package io.dentryguard.bench;

import io.fabric8.kubernetes.api.model.AttachedVolume;
import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A Node of the size and shape a cloud provider's worker node has (about 20 KB of JSON): 50 images
 * (the kubelet reports at most 50 by default), each with its digest name and its tag name, 2
 * addresses, capacity and allocatable, nodeInfo, the 5 conditions a node usually carries, about 15
 * labels, the usual annotations and the managedFields of the kubelet and the controller manager.
 * The content is drawn from a fixed seed per node, so runs are alike and nodes differ.
 */
final class RealisticNode {
    private static final String ECR = "602401143452.dkr.ecr.eu-west-1.amazonaws.com/";
    private static final String APPS = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/";
    /** Images every node runs (DaemonSets, the pause image); the rest are drawn from {@link #SERVICES}. */
    private static final List<String> SYSTEM_IMAGES = List.of(ECR + "eks/pause:3.10", ECR + "eks/kube-proxy:v1.31.2-minimal-eksbuild.3",
            ECR + "amazon-k8s-cni:v1.19.0-eksbuild.1", ECR + "amazon-k8s-cni-init:v1.19.0-eksbuild.1",
            ECR + "amazon/aws-network-policy-agent:v1.1.5-eksbuild.1", ECR + "eks/coredns:v1.11.3-eksbuild.2",
            ECR + "eks/aws-ebs-csi-driver:v1.37.0", ECR + "eks/csi-node-driver-registrar:v2.12.0-eks-1-31-7",
            ECR + "eks/livenessprobe:v2.14.0-eks-1-31-7", "quay.io/prometheus/node-exporter:v1.8.2",
            "docker.io/grafana/promtail:3.2.1", "cr.fluentbit.io/fluent/fluent-bit:3.1.9",
            "registry.k8s.io/ingress-nginx/controller:v1.11.3", "quay.io/jetstack/cert-manager-controller:v1.16.1",
            "docker.io/datadog/agent:7.58.2", "ghcr.io/dentry-guard/node-probe:0.1.0");
    private static final List<String> SERVICES = List.of("checkout", "cart", "catalog", "search", "recommendations", "payments",
            "shipping", "inventory", "pricing", "promotions", "reviews", "accounts", "auth", "notifications", "email", "sms",
            "invoices", "refunds", "fraud-check", "tax", "currency", "images", "thumbnails", "media-upload", "feeds", "sitemap",
            "analytics-collector", "event-router", "audit-log", "feature-flags", "config-server", "session-store", "rate-limiter",
            "gateway", "graphql", "storefront", "admin-ui", "warehouse-sync", "erp-bridge", "loyalty");
    private static final String[] LABELS = {"beta.kubernetes.io/arch", "beta.kubernetes.io/instance-type", "beta.kubernetes.io/os",
            "eks.amazonaws.com/capacityType", "eks.amazonaws.com/nodegroup", "eks.amazonaws.com/nodegroup-image",
            "eks.amazonaws.com/sourceLaunchTemplateId", "failure-domain.beta.kubernetes.io/region",
            "failure-domain.beta.kubernetes.io/zone", "k8s.io/cloud-provider-aws", "kubernetes.io/arch", "kubernetes.io/hostname",
            "kubernetes.io/os", "node.kubernetes.io/instance-type", "topology.kubernetes.io/region", "topology.kubernetes.io/zone"};

    private RealisticNode() {}

    static Node build(String name, int index) {
        Random r = new Random(index);
        String zone = "eu-west-1" + "abc".charAt(index % 3);
        String instance = "i-0" + hex(r, 16);
        String ip = "10.12." + (index / 250) + "." + (index % 250 + 4);
        String time = "2026-11-02T08:" + String.format("%02d:%02d", r.nextInt(60), r.nextInt(60)) + "Z";
        String[] labelValues = {"amd64", "m5.2xlarge", "linux", "ON_DEMAND", "workers-general-20261102", "ami-0" + hex(r, 16),
                "lt-0" + hex(r, 16), "eu-west-1", zone, hex(r, 32), "amd64", name, "linux", "m5.2xlarge", "eu-west-1", zone};
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < LABELS.length; i++) {
            labels.put(LABELS[i], labelValues[i]);
        }
        Map<String, Quantity> capacity = resources("8", "104845292Ki", "32408488Ki");
        Map<String, Quantity> allocatable = resources("7910m", "95491281146", "31482280Ki");
        List<NodeCondition> conditions = List.of(
                condition("NetworkUnavailable", "False", "RouteCreated", "RouteController created a route", time),
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", time),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", time),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", time),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", time));
        List<String> volumes = List.of("vol-0" + hex(r, 16), "vol-0" + hex(r, 16), "vol-0" + hex(r, 16));
        List<String> volumePaths = volumes.stream().map(v -> "kubernetes.io/csi/ebs.csi.aws.com^" + v).toList();
        Map<String, String> nodeInfo = new LinkedHashMap<>();
        nodeInfo.put("architecture", "amd64");
        nodeInfo.put("bootID", new UUID(r.nextLong(), r.nextLong()).toString());
        nodeInfo.put("containerRuntimeVersion", "containerd://1.7.23");
        nodeInfo.put("kernelVersion", "5.10.228-219.884.amzn2.x86_64");
        nodeInfo.put("kubeProxyVersion", "v1.31.2-eks-94953ac");
        nodeInfo.put("kubeletVersion", "v1.31.2-eks-94953ac");
        nodeInfo.put("machineID", "ec2" + hex(r, 29));
        nodeInfo.put("operatingSystem", "linux");
        nodeInfo.put("osImage", "Amazon Linux 2");
        nodeInfo.put("systemUUID", "ec2" + hex(r, 5) + "-" + hex(r, 4) + "-" + hex(r, 4) + "-" + hex(r, 4) + "-" + hex(r, 12));
        return new NodeBuilder()
                .withNewMetadata().withName(name).withLabels(labels)
                .addToAnnotations("alpha.kubernetes.io/provided-node-ip", ip)
                .addToAnnotations("csi.volume.kubernetes.io/nodeid",
                        "{\"ebs.csi.aws.com\":\"" + instance + "\",\"efs.csi.aws.com\":\"" + instance + "\"}")
                .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
                .addToAnnotations("volumes.kubernetes.io/controller-managed-attach-detach", "true")
                .withManagedFields(
                        managed("kubelet", null, time, "f:metadata", Map.of(
                                "f:annotations", keys(List.of("alpha.kubernetes.io/provided-node-ip",
                                        "volumes.kubernetes.io/controller-managed-attach-detach")),
                                "f:labels", keys(labels.keySet()))),
                        managed("kube-controller-manager", null, time, "f:metadata", Map.of(
                                "f:annotations", keys(List.of("node.alpha.kubernetes.io/ttl")))),
                        managed("kube-controller-manager", "status", time, "f:status", Map.of(
                                "f:volumesAttached", keys(volumePaths.stream().map(v -> "k:{\"devicePath\":\"\",\"name\":\"" + v + "\"}").toList()))),
                        managed("kubelet", "status", time, "f:status", Map.of(
                                "f:addresses", keys(List.of("k:{\"type\":\"InternalIP\"}", "k:{\"type\":\"Hostname\"}")),
                                "f:allocatable", keys(allocatable.keySet()),
                                "f:capacity", keys(capacity.keySet()),
                                "f:conditions", conditionFields(conditions),
                                "f:daemonEndpoints", Map.of("f:kubeletEndpoint", keys(List.of("Port"))),
                                "f:images", Map.of(),
                                "f:nodeInfo", keys(nodeInfo.keySet()),
                                "f:volumesInUse", Map.of())))
                .endMetadata()
                .withNewSpec().withProviderID("aws:///" + zone + "/" + instance).endSpec()
                .withNewStatus()
                .addNewAddress().withType("InternalIP").withAddress(ip).endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .withCapacity(capacity).withAllocatable(allocatable)
                .withConditions(conditions)
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(10250).endKubeletEndpoint().endDaemonEndpoints()
                .withImages(images(r))
                .withVolumesInUse(volumePaths)
                .withVolumesAttached(volumePaths.stream().map(v -> new AttachedVolume("", v)).toList())
                .withNewNodeInfo().withArchitecture(nodeInfo.get("architecture")).withBootID(nodeInfo.get("bootID"))
                .withContainerRuntimeVersion(nodeInfo.get("containerRuntimeVersion")).withKernelVersion(nodeInfo.get("kernelVersion"))
                .withKubeProxyVersion(nodeInfo.get("kubeProxyVersion")).withKubeletVersion(nodeInfo.get("kubeletVersion"))
                .withMachineID(nodeInfo.get("machineID")).withOperatingSystem(nodeInfo.get("operatingSystem"))
                .withOsImage(nodeInfo.get("osImage")).withSystemUUID(nodeInfo.get("systemUUID")).endNodeInfo()
                .endStatus().build();
    }

    /** The system images and 34 of the application images, largest first as the kubelet sorts them. */
    private static List<ContainerImage> images(Random r) {
        List<String> tagged = new ArrayList<>(SYSTEM_IMAGES);
        List<String> services = new ArrayList<>(SERVICES);
        java.util.Collections.shuffle(services, r);
        for (String s : services.subList(0, 50 - SYSTEM_IMAGES.size())) {
            tagged.add(APPS + s + ":v" + (1 + r.nextInt(4)) + "." + r.nextInt(40) + "." + r.nextInt(20) + "-" + hex(r, 7));
        }
        List<ContainerImage> images = new ArrayList<>();
        for (String t : tagged) {
            String repository = t.substring(0, t.lastIndexOf(':'));
            images.add(new ContainerImage(List.of(repository + "@sha256:" + hex(r, 64), t), 5_000_000L + r.nextInt(900_000_000)));
        }
        images.sort((a, b) -> Long.compare(b.getSizeBytes(), a.getSizeBytes()));
        return images;
    }

    private static Map<String, Quantity> resources(String cpu, String storage, String memory) {
        Map<String, Quantity> m = new LinkedHashMap<>();
        m.put("cpu", new Quantity(cpu));
        m.put("ephemeral-storage", new Quantity(storage));
        m.put("hugepages-1Gi", new Quantity("0"));
        m.put("hugepages-2Mi", new Quantity("0"));
        m.put("memory", new Quantity(memory));
        m.put("pods", new Quantity("58"));
        return m;
    }

    private static NodeCondition condition(String type, String status, String reason, String message, String time) {
        return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastHeartbeatTime(time).withLastTransitionTime(time).build();
    }

    /** A managedFields entry: {@code manager} owns {@code fields} under {@code top} ("f:metadata", "f:status"). */
    private static ManagedFieldsEntry managed(String manager, String subresource, String time, String top, Map<String, Object> fields) {
        FieldsV1 f = new FieldsV1();
        f.setAdditionalProperties(Map.of(top, new java.util.TreeMap<>(fields)));
        return new ManagedFieldsEntry("v1", "FieldsV1", f, manager, "Update", subresource, time);
    }

    private static Map<String, Object> keys(Iterable<String> names) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(".", Map.of());
        names.forEach(n -> m.put("f:" + n, Map.of()));
        return m;
    }

    private static Map<String, Object> conditionFields(List<NodeCondition> conditions) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (NodeCondition c : conditions) {
            m.put("k:{\"type\":\"" + c.getType() + "\"}", keys(List.of("lastHeartbeatTime", "lastTransitionTime", "message", "reason",
                    "status", "type")));
        }
        return m;
    }

    private static String hex(Random r, int digits) {
        StringBuilder s = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            s.append(Character.forDigit(r.nextInt(16), 16));
        }
        return s.toString();
    }
}
