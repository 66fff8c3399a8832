package io.dentryguard.demo.kubelet;

import io.dentryguard.demo.host.HostChecks;
import io.dentryguard.demo.kubelet.PodmanCommand.PodmanException;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.Closeable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A {@link PodRuntime} on podman (runc, cgroup v1, cgroupfs driver), laid out as the kubelet lays
 * out BestEffort pods: each container under {@code /kubepods/besteffort/pod<UID>} (see
 * {@link PodmanRunArgs}), labelled with this run's id so that {@link #close} finds all it made.
 *
 * <p>{@link #remove} is what a kubelet does on eviction: stop, remove, rmdir the pod cgroups. It
 * does not reclaim their memory: the kernel moves the charge (the pod's dentries among it) to
 * {@code /kubepods/besteffort}, so eviction alone frees nothing. {@link #close} does reclaim
 * (force_empty) the pod cgroups, and the parents it created, so that an interrupted demo does not
 * leave gigabytes of dentries charged behind.
 */
public final class PodmanPodRuntime implements PodRuntime {
    private static final String STOP_GRACE_SECONDS = "2";
    private static final List<String> PARENTS = List.of(PodmanRunArgs.PODS_PARENT, "/kubepods");

    private final PodmanCommand podman;
    private final PodCgroups cgroups;
    private final String runId;
    /** The pods this runtime started: their cgroups are reclaimed and removed on close. */
    private final Set<String> podUids = ConcurrentHashMap.newKeySet();
    /** /kubepods and /kubepods/besteffort where they did not exist before this runtime's first start. */
    private final Set<String> createdParents = ConcurrentHashMap.newKeySet();
    private final Set<LogFollower> followers = ConcurrentHashMap.newKeySet();
    private boolean parentsChecked;

    /**
     * @param containersConf the project's podman settings (tools/images/containers.conf)
     * @param runId          labels every container of this run ({@code io.dentryguard.demo.run})
     */
    public PodmanPodRuntime(Path containersConf, String runId) {
        this(new PodmanCommand(HostChecks.findOnPath("podman").orElseThrow(() -> new IllegalStateException(HostChecks.missing("podman"))),
                containersConf), new PodCgroups(Path.of("/sys/fs/cgroup")), runId);
    }

    PodmanPodRuntime(PodmanCommand podman, PodCgroups cgroups, String runId) {
        this.podman = podman;
        this.cgroups = cgroups;
        this.runId = runId;
    }

    public String runId() {
        return runId;
    }

    @Override
    public String start(Pod pod) {
        List<String> args = PodmanRunArgs.of(pod, runId);
        rememberParentsToCreate();
        podUids.add(pod.getMetadata().getUid());
        String output = podman.require(args).strip();
        return output.substring(output.lastIndexOf('\n') + 1); // the id is the last line (pull messages come first)
    }

    private synchronized void rememberParentsToCreate() {
        if (!parentsChecked) {
            PARENTS.stream().filter(p -> !cgroups.exists(p)).forEach(createdParents::add);
            parentsChecked = true;
        }
    }

    @Override
    public void remove(String podUid) {
        containers(podUid).forEach(this::removeContainer);
        cgroups.remove(PodmanRunArgs.cgroupParent(podUid));
    }

    private void removeContainer(String id) {
        PodmanCommand.Result stop = podman.run(List.of("stop", "--ignore", "--time", STOP_GRACE_SECONDS, id));
        PodmanCommand.Result rm = podman.run(List.of("rm", "--force", "--ignore", "--time", STOP_GRACE_SECONDS, id));
        if (!rm.ok()) {
            throw new PodmanException(List.of("rm", id), rm.exitCode(), "after stop (" + stop.output().strip() + "): " + rm.output());
        }
    }

    @Override
    public void pause(String podUid) {
        podman.require(List.of("pause", container(podUid)));
    }

    @Override
    public void unpause(String podUid) {
        podman.require(List.of("unpause", container(podUid)));
    }

    @Override
    public boolean isRunning(String podUid) {
        List<String> ids = containers(podUid);
        return !ids.isEmpty() && "running".equals(podman.run(List.of("inspect", "--format", "{{.State.Status}}", ids.get(0))).output().strip());
    }

    @Override
    public Closeable followLogs(String podUid, Consumer<String> line) {
        LogFollower follower = LogFollower.start(podman.builder(List.of("logs", "--follow", container(podUid))), line, followers::remove);
        followers.add(follower);
        return follower;
    }

    /** The id of the pod's container; fails if this run has none for the pod. */
    private String container(String podUid) {
        List<String> ids = containers(podUid);
        if (ids.isEmpty()) {
            throw new IllegalStateException("no container of run " + runId + " for pod " + podUid);
        }
        return ids.get(0);
    }

    /** This run's containers of a pod, running or not (found by label, so nothing depends on memory of them). */
    private List<String> containers(String podUid) {
        return ids("--filter", "label=" + PodmanRunArgs.RUN_LABEL + "=" + runId, "--filter", "label=" + PodmanRunArgs.POD_UID_LABEL + "=" + podUid);
    }

    private List<String> ids(String... filters) {
        List<String> args = new ArrayList<>(List.of("ps", "--all", "--quiet", "--no-trunc"));
        args.addAll(List.of(filters));
        return podman.require(args).lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Removes every container of this run, then reclaims and removes the pod cgroups it made, then
     * /kubepods/besteffort and /kubepods if it created them and they are empty; reclaimed first, as
     * the charge of pods removed earlier (evicted) has moved up to them. Goes on past a failure and
     * throws the first at the end.
     */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        followers.forEach(LogFollower::close);
        attempt(failures, () -> ids("--filter", "label=" + PodmanRunArgs.RUN_LABEL + "=" + runId).forEach(this::removeContainer));
        for (String uid : podUids) {
            String cgroup = PodmanRunArgs.cgroupParent(uid);
            attempt(failures, () -> cgroups.forceEmpty(cgroup));
            attempt(failures, () -> cgroups.remove(cgroup));
        }
        podUids.clear();
        for (String parent : PARENTS) {
            if (createdParents.contains(parent)) {
                attempt(failures, () -> cgroups.forceEmpty(parent));
                attempt(failures, () -> {
                    if (cgroups.removeIfEmpty(parent)) {
                        createdParents.remove(parent);
                    }
                });
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    private static void attempt(List<RuntimeException> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }
}
