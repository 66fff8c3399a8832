package io.dentryguard.probe.monitor.cgroup;

/**
 * Who a cgroup belongs to, read from its path alone.
 *
 * @param path        path relative to the memory hierarchy's root, '/'-separated, e.g.
 *                    {@code kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid>.slice}
 * @param kind        a pod, one container of a pod, or a host cgroup (a daemon, a user session)
 * @param podUid      the pod's UID with dashes, null for host cgroups
 * @param containerId the container's runtime id, null unless {@code kind} is CONTAINER
 * @param qos         guaranteed, burstable or besteffort; null for host cgroups
 */
public record CgroupIdentity(String path, Kind kind, String podUid, String containerId, String qos) {

    public enum Kind { POD, CONTAINER, HOST }

    public static CgroupIdentity host(String path) {
        return new CgroupIdentity(path, Kind.HOST, null, null, null);
    }
}
