package io.dentryguard.demo.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node agent of a virtual node: its pods are shown in the API, never run. Each pod bound to it
 * gets the status phase {@code Pending} (honest: no container runs), status reason
 * {@code VirtualNode}, which {@code kubectl get pods -o wide} shows in the STATUS column with READY
 * 0/1 and the node in NODE, the message "virtual node: shown, not run", and the conditions
 * PodScheduled True and Ready False (reason VirtualNode). Phase Running would have made kubectl show
 * the pods as running. A pod marked for deletion is confirmed at once (nothing to stop), so it does
 * not hang in Terminating.
 */
public final class VirtualNodeKubelet implements AutoCloseable {
    public static final String MESSAGE = "virtual node: shown, not run";

    private final Set<String> shown = ConcurrentHashMap.newKeySet();
    private final NodePodWatch watch;

    public VirtualNodeKubelet(KubernetesClient client, String nodeName) {
        PodApi api = new PodApi(client);
        this.watch = new NodePodWatch(client, nodeName, new NodePodWatch.Handler() {
            @Override
            public void bound(Pod pod) {
                if (shown.add(pod.getMetadata().getUid())) {
                    api.writeStatus(pod, PodStatuses.virtual(MESSAGE));
                }
            }

            @Override
            public void markedForDeletion(Pod pod) {
                api.confirmDeletion(pod);
            }

            @Override
            public void deleted(Pod pod) {
                shown.remove(pod.getMetadata().getUid());
            }
        });
    }

    @Override
    public void close() {
        watch.close();
    }
}
