package io.dentryguard.probe.cli;

import io.dentryguard.probe.monitor.ProcFiles;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the host's files are as this process sees them: in a pod, the host's, mounted under another path. */
final class HostPaths {
    @Option(names = "--proc", paramLabel = "DIR", defaultValue = "/proc",
            description = "Where the host's /proc is mounted (default: ${DEFAULT-VALUE}).")
    Path procRoot;

    @Option(names = "--cgroup-root", paramLabel = "DIR", defaultValue = "/sys/fs/cgroup",
            description = "Where the host's cgroup file systems are mounted (default: ${DEFAULT-VALUE}).")
    Path cgroupRoot;

    @Option(names = "--proc-sys-vm", paramLabel = "DIR",
            description = {"Where the host's /proc/sys/vm is mounted, for node-wide reclaim's drop_caches (default: PROC/sys/vm).",
                    "In a container /proc/sys is its own and nothing can be mounted under /proc: mount the host's elsewhere."})
    Path procSysVm;

    ProcFiles proc() {
        return new ProcFiles(procRoot);
    }

    Path dropCaches() {
        return (procSysVm != null ? procSysVm : procRoot.resolve("sys/vm")).resolve("drop_caches");
    }
}
