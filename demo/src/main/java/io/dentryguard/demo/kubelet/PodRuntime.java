package io.dentryguard.demo.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.Closeable;
import java.util.function.Consumer;

/**
 * Runs the single container of a pod on this node, as a kubelet's container runtime does. Pods are
 * known by their UID. {@link #close} removes everything this runtime made, so that an interrupted
 * demo leaves nothing behind.
 */
public interface PodRuntime extends AutoCloseable {
    /** Starts the pod's container and returns its id; fails, saying why, if it cannot. */
    String start(Pod pod);

    /** Stops (with a short grace) and removes the pod's container, then its pod cgroups, as the kubelet does on eviction. */
    void remove(String podUid);

    /** Freezes every process of the pod's container. */
    void pause(String podUid);

    void unpause(String podUid);

    /** True while the pod's container runs (a paused one does not). */
    boolean isRunning(String podUid);

    /**
     * Calls {@code line} with each line the pod's container prints, from its start, on a thread of
     * its own, until the container is removed or the returned handle is closed.
     */
    Closeable followLogs(String podUid, Consumer<String> line);

    /** Removes every container and cgroup this runtime made. */
    @Override
    void close();
}
