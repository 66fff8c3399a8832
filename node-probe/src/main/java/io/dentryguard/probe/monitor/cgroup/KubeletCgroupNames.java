package io.dentryguard.probe.monitor.cgroup;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The directory names kubelet and the container runtimes give cgroups, for both cgroup drivers:
 *
 * <pre>
 * systemd:  kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod&lt;uid_with_underscores&gt;.slice/cri-containerd-&lt;id&gt;.scope
 *           kubepods.slice/kubepods-pod&lt;uid&gt;.slice/crio-&lt;id&gt;.scope            (guaranteed)
 * cgroupfs: kubepods/burstable/pod&lt;uid&gt;/&lt;container-id&gt;
 *           kubepods/pod&lt;uid&gt;/&lt;container-id&gt;                                 (guaranteed)
 * </pre>
 */
public final class KubeletCgroupNames {
    private static final Pattern SYSTEMD_POD = Pattern.compile("kubepods(?:-(burstable|besteffort))?-pod([0-9a-fA-F_-]+)\\.slice");
    private static final Pattern CGROUPFS_POD = Pattern.compile("pod([0-9a-fA-F_-]+)");
    /** containerd, CRI-O (and its conmon), docker and podman scope names. */
    private static final Pattern SCOPE = Pattern.compile("(?:cri-containerd|crio|crio-conmon|docker|libpod)-([0-9a-fA-F]{12,64})\\.scope");
    private static final Pattern BARE_ID = Pattern.compile("[0-9a-fA-F]{12,64}");
    private static final Pattern UID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private KubeletCgroupNames() {}

    /** The top directory of kubelet's pod hierarchy, for either driver. */
    public static boolean isKubepodsRoot(String name) {
        return name.equals("kubepods.slice") || name.equals("kubepods") || name.equals("kubelet-kubepods.slice");
    }

    /** A QoS class directory directly under the kubepods root. */
    public static Optional<String> qosDirectory(String name) {
        return switch (name) {
            case "kubepods-burstable.slice", "burstable", "kubelet-kubepods-burstable.slice" -> Optional.of("burstable");
            case "kubepods-besteffort.slice", "besteffort", "kubelet-kubepods-besteffort.slice" -> Optional.of("besteffort");
            default -> Optional.empty();
        };
    }

    /** Whether {@code uid} is a pod UID as the API writes it (lower-case, with dashes). */
    public static boolean isPodUid(String uid) {
        return uid != null && UID.matcher(uid).matches();
    }

    /** The pod UID in a pod directory's name, with dashes, or empty if it is not a pod directory. */
    public static Optional<String> podUid(String name) {
        Matcher m = SYSTEMD_POD.matcher(name.startsWith("kubelet-") ? name.substring("kubelet-".length()) : name);
        String raw = null;
        if (m.matches()) {
            raw = m.group(2);
        } else {
            Matcher c = CGROUPFS_POD.matcher(name);
            if (c.matches()) {
                raw = c.group(1);
            }
        }
        if (raw == null) {
            return Optional.empty();
        }
        String uid = raw.replace('_', '-').toLowerCase(java.util.Locale.ROOT);
        return UID.matcher(uid).matches() ? Optional.of(uid) : Optional.empty();
    }

    /** The container id in a container directory's name, or empty. */
    public static Optional<String> containerId(String name) {
        Matcher m = SCOPE.matcher(name);
        if (m.matches()) {
            return Optional.of(m.group(1).toLowerCase(java.util.Locale.ROOT));
        }
        return BARE_ID.matcher(name).matches() ? Optional.of(name.toLowerCase(java.util.Locale.ROOT)) : Optional.empty();
    }
}
