package io.dentryguard.demo.host;

import java.util.Locale;
import java.util.Optional;

/**
 * When the demo's flood must stop: the dentry slab grown by its size limit, or free memory below
 * its floor, whichever comes first. The offender is then frozen (its container paused), never left to
 * grow: a demo must not be the noisy neighbour it shows.
 */
public record FloodLimit(long slabLimitBytes, long memFreeFloorBytes) {
    public FloodLimit {
        if (slabLimitBytes <= 0 || memFreeFloorBytes < 0) {
            throw new IllegalArgumentException("the slab limit must be positive and the free-memory floor not negative");
        }
    }

    /**
     * Why the flood must stop now, empty when it may go on: the dentry slab grown by the limit since
     * {@code slabBefore} (the flood's own size: what the host held before is not the demo's), or
     * MemFree below the floor.
     */
    public Optional<String> reached(HostDentries.Figures host, long slabBefore) {
        long grown = host.dentrySlabBytes() - slabBefore;
        if (grown >= slabLimitBytes) {
            return Optional.of(String.format(Locale.ROOT, "the dentry slab grew by %s, reaching the limit %s", ByteSize.format(grown),
                    ByteSize.format(slabLimitBytes)));
        }
        if (host.memFreeBytes() < memFreeFloorBytes) {
            return Optional.of(String.format(Locale.ROOT, "MemFree %s fell below the floor %s", ByteSize.format(host.memFreeBytes()),
                    ByteSize.format(memFreeFloorBytes)));
        }
        return Optional.empty();
    }

    /** Why a flood of the limit's size cannot be made here (free memory minus the floor is less than the limit), empty when it can. */
    public Optional<String> noRoom(HostDentries.Figures host) {
        if (host.memFreeBytes() - memFreeFloorBytes >= slabLimitBytes) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "MemFree is %s: a flood of %s (--flood-limit) would take it below the floor %s"
                        + " (--mem-free-floor); give a smaller limit or free memory first", ByteSize.format(host.memFreeBytes()),
                ByteSize.format(slabLimitBytes), ByteSize.format(memFreeFloorBytes)));
    }

    /** The limit in dentries of {@code objectBytes} each. */
    public long limitDentries(long objectBytes) {
        return slabLimitBytes / objectBytes;
    }
}
