package io.dentryguard.demo.host;

import io.dentryguard.probe.monitor.DentrySlab;
import io.dentryguard.probe.monitor.DentryState;
import io.dentryguard.probe.monitor.HashBucketResolver;
import io.dentryguard.probe.monitor.KernelLog;
import io.dentryguard.probe.monitor.KernelRelease;
import io.dentryguard.probe.monitor.MemInfo;
import io.dentryguard.probe.monitor.ProcFiles;
import io.dentryguard.probe.monitor.ProcFormatException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * This host's dentry figures as the demo needs them, read with the probe's own parsers: the size of
 * the hash table (as the probe resolves it), the dentry counts, the dentry slab and free memory.
 */
public final class HostDentries {
    private final ProcFiles proc = new ProcFiles(Path.of("/proc"));
    private final KernelRelease kernel;

    public HostDentries() throws ProcFiles.UnreadableException, ProcFormatException {
        this.kernel = KernelRelease.parse(proc.read(KernelRelease.SOURCE));
    }

    /** One look at the host. */
    public record Figures(long totalDentries, long negativeDentries, long dentrySlabBytes, long dentryObjectBytes, long memFreeBytes) {}

    public Figures read() throws ProcFiles.UnreadableException, ProcFormatException {
        DentryState state = DentryState.parse(proc.read(DentryState.SOURCE), kernel);
        if (state.negative() == null) {
            throw new ProcFormatException(DentryState.SOURCE, "kernel " + kernel.release() + " does not count negative dentries (5.0 and later do)");
        }
        DentrySlab slab = DentrySlab.parse(proc.read(DentrySlab.SOURCE));
        MemInfo mem = MemInfo.parse(proc.read(MemInfo.SOURCE));
        return new Figures(state.total(), state.negative(), slab.bytes(), slab.objectSizeBytes(), mem.freeBytes());
    }

    /** The dentry hash table's buckets, resolved as the probe resolves them (kernel log, else the kernel's sizing rule). */
    public long hashBuckets() throws ProcFiles.UnreadableException {
        return new HashBucketResolver(proc, KernelLog.dmesg(), OptionalLong.empty()).resolve().buckets();
    }

    public KernelRelease kernel() {
        return kernel;
    }
}
