package io.dentryguard.probe.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the dentry hash table's bucket count in order of trust: the boot log, the kernel's sizing
 * rule, the configuration. Done once at start-up: the table is sized at boot and never resized.
 */
public final class HashBucketResolver {
    private static final Logger LOG = LoggerFactory.getLogger(HashBucketResolver.class);

    private final ProcFiles proc;
    private final KernelLog kernelLog;
    private final OptionalLong configured;

    public HashBucketResolver(ProcFiles proc, KernelLog kernelLog, OptionalLong configured) {
        this.proc = proc;
        this.kernelLog = kernelLog;
        this.configured = configured;
    }

    /** The resolved count, logged with where it came from, or why there is none. */
    public Reading<HashBuckets> resolveOrExplain() {
        try {
            HashBuckets b = resolve();
            LOG.info("dentry hash table: {} buckets ({})", b.buckets(), b.detail());
            if (configured.isPresent() && configured.getAsLong() != b.buckets()) {
                LOG.warn("--hash-buckets {} ignored: the kernel says {} ({})", configured.getAsLong(), b.buckets(), b.source().jsonName());
            }
            return Reading.of(b);
        } catch (ProcFiles.UnreadableException e) {
            LOG.warn(e.getMessage());
            return Reading.missing(e.getMessage());
        }
    }

    /** The resolved count, or an exception listing why every source failed. */
    public HashBuckets resolve() throws ProcFiles.UnreadableException {
        List<String> failures = new ArrayList<>();
        try {
            OptionalLong fromLog = HashTableSizing.fromKernelLog(kernelLog.read());
            if (fromLog.isPresent()) {
                return new HashBuckets(fromLog.getAsLong(), HashBuckets.Source.KERNEL_LOG,
                        "kernel log: Dentry cache hash table entries: " + fromLog.getAsLong());
            }
            failures.add("kernel log has no 'Dentry cache hash table entries' line (rotated out of the ring buffer?)");
        } catch (ProcFiles.UnreadableException e) {
            failures.add(e.getMessage());
        }
        try {
            MemInfo mem = MemInfo.parse(proc.read(MemInfo.SOURCE));
            OptionalLong dhash = OptionalLong.empty();
            String cmdlineNote = "";
            try {
                dhash = HashTableSizing.dhashEntries(proc.read("/proc/cmdline"));
                cmdlineNote = dhash.isPresent() ? ", dhash_entries=" + dhash.getAsLong() : ", no dhash_entries=";
            } catch (ProcFiles.UnreadableException e) {
                cmdlineNote = ", kernel command line unreadable (" + e.getMessage() + ")";
            }
            long n = HashTableSizing.fromMemory(mem.totalBytes(), dhash);
            return new HashBuckets(n, HashBuckets.Source.SIZING_RULE,
                    "kernel sizing rule from MemTotal " + mem.totalBytes() + " bytes" + cmdlineNote
                            + " (" + String.join("; ", failures) + ")");
        } catch (ProcFiles.UnreadableException | ProcFormatException e) {
            failures.add(e.getMessage());
        }
        if (configured.isPresent()) {
            return new HashBuckets(configured.getAsLong(), HashBuckets.Source.CONFIGURATION,
                    "configured value (" + String.join("; ", failures) + ")");
        }
        throw new ProcFiles.UnreadableException("dentry hash table size unknown: " + String.join("; ", failures)
                + "; set --hash-buckets");
    }
}
