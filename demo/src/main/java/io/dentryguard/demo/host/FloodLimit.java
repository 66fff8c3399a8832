package io.dentryguard.demo.host;

import java.util.Locale;
import java.util.Optional;

/**
 * When the demo's flood must stop: the dentry slab at its size limit, or free memory below its
 * floor, whichever comes first. The offender is then frozen (its container paused), never left to
 * grow: a demo must not be the noisy neighbour it shows.
 */
public record FloodLimit(long slabLimitBytes, long memFreeFloorBytes) {
    public FloodLimit {
        if (slabLimitBytes <= 0 || memFreeFloorBytes < 0) {
            throw new IllegalArgumentException("the slab limit must be positive and the free-memory floor not negative");
        }
    }

    /** Why the flood must stop now, empty when it may go on. */
    public Optional<String> reached(HostDentries.Figures host) {
        if (host.dentrySlabBytes() >= slabLimitBytes) {
            return Optional.of(String.format(Locale.ROOT, "dentry slab %s reached the limit %s", ByteSize.format(host.dentrySlabBytes()),
                    ByteSize.format(slabLimitBytes)));
        }
        if (host.memFreeBytes() < memFreeFloorBytes) {
            return Optional.of(String.format(Locale.ROOT, "MemFree %s fell below the floor %s", ByteSize.format(host.memFreeBytes()),
                    ByteSize.format(memFreeFloorBytes)));
        }
        return Optional.empty();
    }

    /** The limit in dentries of {@code objectBytes} each. */
    public long limitDentries(long objectBytes) {
        return slabLimitBytes / objectBytes;
    }
}
