/**
 * The node side of {@code ./dentry-guard demo}: pods bound to this host run as real podman
 * containers laid out as the kubelet lays out BestEffort pods with the cgroupfs driver
 * ({@link io.dentryguard.demo.kubelet.PodmanPodRuntime}), started and removed by a minimal kubelet
 * that follows the API ({@link io.dentryguard.demo.kubelet.StandInKubelet}); pods of virtual nodes
 * are only shown ({@link io.dentryguard.demo.kubelet.VirtualNodeKubelet}).
 *
 * <p>What a flood in such a pod does here ({@code scripts/victim-slowdown.sh}, 2 vCPU, 4,194,304 hash
 * buckets, quiet machine): 3M missing names looked up in {@code /usr/share/doc} of the image (124-126k
 * names/s in the container) leave 6M negative dentries, two per name (overlayfs's and the lower
 * layer's), 1.2 GB of kernel memory charged to the pod; the average chain goes from 0.02 to 1.46. A
 * victim's walk of its image slows by only 8-20% at that (two runs, medians of 60 loops: du -sx / 44
 * -> 49-51 ms; a stat of every /usr path, 5.8 lookups each, 38-39 -> 42-46 ms), about as much as CPU
 * noise (+-15%): a slowdown the eye sees needs far more names (kernel-facts: 20M negatives, 2.6x).
 * Removing the container frees the overlay's half only; the lower layer's 3M stay charged to the pod
 * cgroup (600 MB) until force_empty (2.3 s; the walks are then 5% above idle, within noise), or, once
 * the pod cgroup is removed (eviction), to its parent.
 */
package io.dentryguard.demo.kubelet;
