package io.dentryguard.demo.kubelet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal kubelet for one node: it starts the container of each pod bound to the node with a
 * {@link PodRuntime} and writes the pod's status (Running and Ready with the container's id, or
 * Failed with why it could not start); when the API deletes a pod (the mock at once) or marks it
 * for deletion (the real server, for a pod bound to a node, waits for the kubelet), it removes the
 * container and its cgroups, and confirms a marked deletion with a delete of grace period 0. No
 * restarts, probes, or status updates after the start: a container that exits stays Running in the API.
 */
public final class StandInKubelet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StandInKubelet.class);

    private final PodRuntime runtime;
    private final PodApi api;
    private final String hostIp;
    /** UIDs of the pods this kubelet took on (started, or tried to): each is started once. */
    private final Set<String> taken = ConcurrentHashMap.newKeySet();
    private final NodePodWatch watch;

    public StandInKubelet(KubernetesClient client, String nodeName, PodRuntime runtime) {
        this.runtime = runtime;
        this.api = new PodApi(client);
        this.hostIp = hostIp(client, nodeName);
        this.watch = new NodePodWatch(client, nodeName, new NodePodWatch.Handler() {
            @Override
            public void bound(Pod pod) {
                start(pod);
            }

            @Override
            public void markedForDeletion(Pod pod) {
                stop(pod);
                api.confirmDeletion(pod);
            }

            @Override
            public void deleted(Pod pod) {
                stop(pod);
            }
        });
    }

    /** The node's InternalIP as registered, else this host's address. */
    private static String hostIp(KubernetesClient client, String nodeName) {
        Optional<String> registered = Optional.ofNullable(client.nodes().withName(nodeName).get()).map(Node::getStatus)
                .flatMap(s -> s.getAddresses().stream().filter(a -> "InternalIP".equals(a.getType())).map(NodeAddress::getAddress).findFirst());
        try {
            return registered.orElse(InetAddress.getLocalHost().getHostAddress());
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    private void start(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        boolean pending = phase == null || phase.equals("Pending");
        if (!pending || !taken.add(pod.getMetadata().getUid())) {
            return; // started already, or handled before this kubelet ran
        }
        String id;
        try {
            id = runtime.start(pod);
        } catch (RuntimeException e) {
            LOG.warn("pod {}/{} could not start: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.getMessage());
            api.writeStatus(pod, PodStatuses.failedToStart(pod, hostIp, e.getMessage()));
            return;
        }
        api.writeStatus(pod, PodStatuses.running(pod, id, hostIp));
    }

    private void stop(Pod pod) {
        if (taken.remove(pod.getMetadata().getUid())) {
            runtime.remove(pod.getMetadata().getUid());
        }
    }

    /** Stops watching; the containers stay (the runtime's close removes them). */
    @Override
    public void close() {
        watch.close();
    }
}
