package io.dentryguard.demo.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.PodResource;

/** The writes a node agent makes to its pods: their status, and the final delete of a pod marked for deletion. */
final class PodApi {
    private final KubernetesClient client;

    PodApi(KubernetesClient client) {
        this.client = client;
    }

    /** Writes the pod's status through the status subresource (a patch of the pod as it is now). */
    void writeStatus(Pod pod, PodStatus status) {
        resource(pod).editStatus(p -> {
            p.setStatus(status);
            return p;
        });
    }

    /**
     * Confirms a graceful deletion, as the kubelet does once the pod's containers are gone: a delete
     * with grace period 0, after which the API server removes the object.
     */
    void confirmDeletion(Pod pod) {
        resource(pod).withGracePeriod(0).delete();
    }

    private PodResource resource(Pod pod) {
        return client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName());
    }
}
