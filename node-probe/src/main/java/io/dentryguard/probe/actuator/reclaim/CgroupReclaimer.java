package io.dentryguard.probe.actuator.reclaim;

import io.dentryguard.api.v1alpha1.ReclaimOutcome;
import io.dentryguard.api.v1alpha1.ReclaimRequest.Scope;
import io.dentryguard.probe.monitor.DentrySlab;
import io.dentryguard.probe.monitor.DentryState;
import io.dentryguard.probe.monitor.KernelRelease;
import io.dentryguard.probe.monitor.ProcFiles;
import io.dentryguard.probe.monitor.ProcFormatException;
import io.dentryguard.probe.numbers.HumanReadable;
import io.dentryguard.probe.monitor.cgroup.CgroupMemoryFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Carries out a {@link ReclaimDecision.Perform}: the one place that writes to cgroup and /proc/sys
 * files. Scope Pod: v1 writes {@code 0} to the pod cgroup's {@code memory.force_empty}; v2 writes
 * the cgroup's whole {@code memory.current} to {@code memory.reclaim}, which fails with EAGAIN when
 * the kernel freed less than that (the usual case: some of it is in use), so there the figures
 * decide. Scope Node writes {@code 2} to {@code /proc/sys/vm/drop_caches}. Around each write it
 * reads the node's nr_negative and the kernel memory concerned, and times the write.
 */
public final class CgroupReclaimer {
    public static final String DROP_CACHES = "/proc/sys/vm/drop_caches";
    private static final String V1_KMEM = CgroupMemoryFormat.V1_FILE;

    /** Writes a control file; tests put a failing one in to play the kernel's errors. */
    @FunctionalInterface
    public interface ControlFileWriter {
        void write(Path file, String value) throws IOException;
    }

    /** How {@link #KERNEL} says the kernel took none of a write. */
    public static final String EAGAIN = "Resource temporarily unavailable (EAGAIN)";

    /**
     * Opens an existing file for writing only: a vanished cgroup must fail, not become a new plain
     * file. Not Files.write: a write the kernel answers with EAGAIN (memory.reclaim that freed less
     * than asked) comes back from a FileChannel as 0 bytes written, which Files.write turns into a
     * RuntimeException "no bytes written" (seen on a real v2 kernel); here it is the IOException it is.
     */
    public static final ControlFileWriter KERNEL = (file, value) -> {
        ByteBuffer bytes = ByteBuffer.wrap(value.getBytes(StandardCharsets.US_ASCII));
        try (FileChannel control = FileChannel.open(file, StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) {
                if (control.write(bytes) == 0) {
                    throw new IOException(EAGAIN);
                }
            }
        }
    };

    private final ProcFiles proc;
    private final Path dropCaches;
    private final MemoryHierarchy hierarchy;
    private final ControlFileWriter writer;
    private final Clock clock;
    private final LongSupplier nanoTime;

    /** @param dropCaches the host's /proc/sys/vm/drop_caches as this process sees it ({@link #dropCaches(ProcFiles)} where /proc is the host's) */
    public CgroupReclaimer(ProcFiles proc, Path dropCaches, MemoryHierarchy hierarchy, ControlFileWriter writer, Clock clock, LongSupplier nanoTime) {
        this.proc = proc;
        this.dropCaches = dropCaches;
        this.hierarchy = hierarchy;
        this.writer = writer;
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    public CgroupReclaimer(ProcFiles proc, Path dropCaches, MemoryHierarchy hierarchy) {
        this(proc, dropCaches, hierarchy, KERNEL, Clock.systemUTC(), System::nanoTime);
    }

    /** drop_caches under {@code proc}'s root. */
    public static Path dropCaches(ProcFiles proc) {
        return proc.resolve(DROP_CACHES);
    }

    public ReclaimOutcome reclaim(ReclaimDecision.Perform p) {
        try {
            return p.scope() == Scope.NODE ? node(p.id()) : pod(p.id(), p.cgroup());
        } catch (RuntimeException e) {
            // An answer for the unforeseen too (as Java's unchecked "no bytes written" for EAGAIN once was):
            // without one the operator waits out its timeout and asks again, never learning why.
            return outcome(p.id(), ReclaimOutcome.Result.FAILED, "unexpected error: " + e, null, null, 0);
        }
    }

    private ReclaimOutcome pod(String id, Path cgroup) {
        if (hierarchy == null) {
            return outcome(id, ReclaimOutcome.Result.FAILED, "no memory cgroup hierarchy", null, null, 0);
        }
        String name = hierarchy.root().relativize(cgroup).toString();
        Long negBefore = negatives();
        Long memBefore = kernelMemory(cgroup);
        if (memBefore == null && !Files.isDirectory(cgroup)) {
            return outcome(id, ReclaimOutcome.Result.FAILED, "the pod's cgroup " + name + " is gone", null, null, 0);
        }
        String file = hierarchy.reclaimFile();
        String value = hierarchy.v2() ? String.valueOf(Math.max(1, readLong(cgroup.resolve("memory.current"), 1L << 40))) : "0";
        long start = nanoTime.getAsLong();
        IOException failure = null;
        try {
            writer.write(cgroup.resolve(file), value);
        } catch (IOException e) {
            failure = e;
        }
        long nanos = nanoTime.getAsLong() - start;
        Long freedNeg = freed(negBefore, negatives());
        Long freedBytes = freed(memBefore, kernelMemory(cgroup));
        String figures = figures(freedNeg, freedBytes, nanos);
        if (failure == null) {
            return outcome(id, ReclaimOutcome.Result.DONE, file + " of " + name + ": " + figures, freedNeg, freedBytes, nanos);
        }
        if (failure instanceof NoSuchFileException) {
            return outcome(id, ReclaimOutcome.Result.FAILED, "the pod's cgroup " + name + " is gone (" + file + " missing)",
                    freedNeg, freedBytes, nanos);
        }
        String why = describe(failure);
        boolean freedSome = (freedNeg != null && freedNeg > 0) || (freedBytes != null && freedBytes > 0);
        if (hierarchy.v2() && !(failure instanceof AccessDeniedException) && freedSome) {
            // EAGAIN: the kernel could not free all that was asked, which is all the cgroup holds.
            return outcome(id, ReclaimOutcome.Result.DONE, file + " of " + name + ": freed less than asked (" + why + "): " + figures,
                    freedNeg, freedBytes, nanos);
        }
        return outcome(id, ReclaimOutcome.Result.FAILED, "writing " + file + " of " + name + " failed: " + why + "; " + figures,
                freedNeg, freedBytes, nanos);
    }

    private ReclaimOutcome node(String id) {
        Long negBefore = negatives();
        Long slabBefore = dentrySlabBytes();
        long start = nanoTime.getAsLong();
        IOException failure = null;
        try {
            writer.write(dropCaches, "2");
        } catch (IOException e) {
            failure = e;
        }
        long nanos = nanoTime.getAsLong() - start;
        Long freedNeg = freed(negBefore, negatives());
        Long freedBytes = freed(slabBefore, dentrySlabBytes());
        String figures = figures(freedNeg, freedBytes, nanos);
        if (failure != null) {
            return outcome(id, ReclaimOutcome.Result.FAILED, "writing 2 to " + dropCaches + " failed: " + describe(failure) + "; " + figures,
                    freedNeg, freedBytes, nanos);
        }
        return outcome(id, ReclaimOutcome.Result.DONE, "drop_caches=2: " + figures, freedNeg, freedBytes, nanos);
    }

    private ReclaimOutcome outcome(String id, ReclaimOutcome.Result result, String message, Long freedNeg, Long freedBytes, long nanos) {
        ReclaimOutcome o = new ReclaimOutcome();
        o.setId(id);
        o.setResult(result);
        o.setMessage(message);
        o.setFreedNegativeDentries(freedNeg);
        o.setFreedBytes(freedBytes);
        o.setDurationSeconds(HumanReadable.round(nanos / 1e9, 3));
        o.setFinishedAt(clock.instant().toString());
        return o;
    }

    /** Before minus after, never below 0 (others may add meanwhile); null when either is unknown. */
    static Long freed(Long before, Long after) {
        return before == null || after == null ? null : Math.max(0, before - after);
    }

    private static String figures(Long freedNeg, Long freedBytes, long nanos) {
        return String.format(Locale.ROOT, "freed %s negative dentries and %s of kernel memory in %.2f s",
                freedNeg == null ? "unknown" : String.format(Locale.ROOT, "%,d", freedNeg),
                freedBytes == null ? "an unknown amount" : String.format(Locale.ROOT, "%.1f MB", freedBytes / 1e6), nanos / 1e9);
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        String reason = e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null ? fse.getReason() : m;
        return e.getClass().getSimpleName() + (reason == null ? "" : " " + reason);
    }

    /** The node's nr_negative, or null where it cannot be read or the kernel does not count them. */
    Long negatives() {
        try {
            KernelRelease kernel = KernelRelease.parse(proc.read(KernelRelease.SOURCE));
            return DentryState.parse(proc.read(DentryState.SOURCE), kernel).negative();
        } catch (ProcFiles.UnreadableException | ProcFormatException e) {
            return null;
        }
    }

    private Long dentrySlabBytes() {
        try {
            return DentrySlab.parse(proc.read(DentrySlab.SOURCE)).bytes();
        } catch (ProcFiles.UnreadableException | ProcFormatException e) {
            return null;
        }
    }

    /** The kernel memory charged to the cgroup: v1 kmem usage; v2 memory.stat's slab, else memory.current. */
    Long kernelMemory(Path cgroup) {
        if (!hierarchy.v2()) {
            return readLong(cgroup.resolve(V1_KMEM), null);
        }
        try {
            for (String line : Files.readAllLines(cgroup.resolve("memory.stat"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("slab ")) {
                    return Long.parseLong(line.substring("slab ".length()).strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to memory.current
        }
        return readLong(cgroup.resolve("memory.current"), null);
    }

    private static Long readLong(Path file, Long otherwise) {
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            return otherwise;
        }
    }
}
