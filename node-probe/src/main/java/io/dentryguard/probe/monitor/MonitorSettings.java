package io.dentryguard.probe.monitor;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the monitors are started with.
 *
 * @param procRoot    where the host's /proc is mounted
 * @param node        the node's name if given, else the host name is used
 * @param hashBuckets the hash table size to use if the kernel cannot tell it
 * @param canary      the lookup canary, if it runs
 * @param cgroups     the cgroup monitor, if offenders are named
 */
public record MonitorSettings(Path procRoot, Optional<String> node, OptionalLong hashBuckets, Optional<Canary> canary,
                              Optional<Cgroups> cgroups) {

    /**
     * @param every  run every this many samples
     * @param passes walks of the tree per run
     */
    public record Canary(Path directory, int entries, int every, int passes) {}

    /** @param rescanEvery list the tree again every this many samples */
    public record Cgroups(Path root, int rescanEvery) {}
}
