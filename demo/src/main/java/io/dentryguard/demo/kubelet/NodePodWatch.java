package io.dentryguard.demo.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pods bound to one node, as a kubelet watches them, except that the informer takes every pod
 * and the node's are picked here: the kubelet's field selector {@code spec.nodeName=NODE} gives no
 * pod at all on fabric8's mock server (it filters on the fields it indexes only), and the demo has
 * a handful of pods. Events go to a {@link Handler} on one worker thread, in order, so that a pod's deletion is handled
 * after its start; a failure is logged and does not stop the pods after it.
 */
final class NodePodWatch implements AutoCloseable {
    /** What a node agent does with its pods. */
    interface Handler {
        /** A pod bound to the node was added or changed, and is not marked for deletion. */
        void bound(Pod pod);

        /** The API server marked the pod for deletion (deletionTimestamp): it waits for the node to confirm. */
        void markedForDeletion(Pod pod);

        /** The pod is gone from the API (deleted at once, or after the node confirmed). */
        void deleted(Pod pod);
    }

    private static final Logger LOG = LoggerFactory.getLogger(NodePodWatch.class);

    private final String nodeName;
    private final ExecutorService worker;
    private final SharedIndexInformer<Pod> informer;

    NodePodWatch(KubernetesClient client, String nodeName, Handler handler) {
        this.nodeName = nodeName;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "node-" + nodeName);
            t.setDaemon(true);
            return t;
        });
        this.informer = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                changed(pod, handler);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                changed(pod, handler);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                submit(pod, "deleted", () -> handler.deleted(pod));
            }
        });
    }

    private void changed(Pod pod, Handler handler) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            submit(pod, "marked for deletion", () -> handler.markedForDeletion(pod));
        } else {
            submit(pod, "bound", () -> handler.bound(pod));
        }
    }

    private void submit(Pod pod, String event, Runnable action) {
        if (!nodeName.equals(pod.getSpec().getNodeName())) {
            return;
        }
        worker.execute(() -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn("node {}: pod {}/{} {}: {}", nodeName, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), event, e.toString());
            }
        });
    }

    /** Stops watching; what is being handled ends first (up to 30 s). */
    @Override
    public void close() {
        informer.close();
        worker.shutdown();
        try {
            worker.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
