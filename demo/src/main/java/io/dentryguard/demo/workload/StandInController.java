package io.dentryguard.demo.workload;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The stand-ins for the controller manager and the scheduler, as far as the demo needs them: every
 * half second, each ReplicaSet of the namespace that has fewer live pods than it wants gets a new pod
 * from its template, placed by {@link TaintAwareScheduler} on the first node (in the order given:
 * this host first) whose taints it tolerates. A pod being deleted no longer counts, as in the real
 * ReplicaSet controller, so an evicted pod's replacement is made at once. Where no node fits, no pod
 * is made until one does.
 */
public final class StandInController implements AutoCloseable {
    private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KubernetesClient client;
    private final String namespace;
    private final List<String> nodeOrder;
    private final BiConsumer<String, Throwable> onError;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "stand-in-controller");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param nodeOrder the nodes to place pods on, most preferred first
     * @param onError told of a failed pass (the next pass tries again)
     */
    public StandInController(KubernetesClient client, String namespace, List<String> nodeOrder, BiConsumer<String, Throwable> onError) {
        this.client = client;
        this.namespace = namespace;
        this.nodeOrder = List.copyOf(nodeOrder);
        this.onError = onError;
    }

    public void start() {
        loop.scheduleWithFixedDelay(() -> {
            try {
                reconcileOnce();
            } catch (RuntimeException e) {
                onError.accept("stand-in controller", e);
            }
        }, 0, 500, TimeUnit.MILLISECONDS);
    }

    /** One pass over the namespace's ReplicaSets. */
    void reconcileOnce() {
        List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
        for (ReplicaSet rs : client.apps().replicaSets().inNamespace(namespace).list().getItems()) {
            long live = pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null && ownedBy(p, rs)).count();
            int wanted = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
            for (long i = live; i < wanted; i++) {
                Pod pod = fromTemplate(rs);
                Optional<String> node = TaintAwareScheduler.place(pod, nodes());
                if (node.isEmpty()) {
                    return; // no node fits now: the next pass tries again
                }
                pod.getSpec().setNodeName(node.get());
                client.pods().inNamespace(namespace).resource(pod).create();
            }
        }
    }

    private List<Node> nodes() {
        return nodeOrder.stream().map(n -> client.nodes().withName(n).get()).filter(java.util.Objects::nonNull).toList();
    }

    private static boolean ownedBy(Pod pod, ReplicaSet rs) {
        return pod.getMetadata().getOwnerReferences() != null && pod.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> rs.getMetadata().getUid().equals(o.getUid()));
    }

    private static Pod fromTemplate(ReplicaSet rs) {
        return new PodBuilder().withNewMetadata().withName(rs.getMetadata().getName() + "-" + suffix())
                .withNamespace(rs.getMetadata().getNamespace()).withLabels(rs.getSpec().getTemplate().getMetadata().getLabels())
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet")
                        .withName(rs.getMetadata().getName()).withUid(rs.getMetadata().getUid()).withController(true)
                        .withBlockOwnerDeletion(true).build())
                .endMetadata().withSpec(new io.fabric8.kubernetes.api.model.PodSpecBuilder(rs.getSpec().getTemplate().getSpec()).build()).build();
    }

    /** Five characters the way the real controller names pods (no vowels, no look-alikes). */
    private static String suffix() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            s.append(NAME_CHARS.charAt(RANDOM.nextInt(NAME_CHARS.length())));
        }
        return s.toString();
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
