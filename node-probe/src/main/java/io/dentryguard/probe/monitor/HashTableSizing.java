package io.dentryguard.probe.monitor;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pure rules for the dentry hash table's size: reading it from the boot log, or computing it the
 * way the kernel does (alloc_large_system_hash with scale 13, bucket of 8 bytes, 4 KiB pages).
 */
public final class HashTableSizing {
    private static final Pattern LOG_LINE = Pattern.compile("Dentry cache hash table entries: (\\d+)");
    private static final Pattern DHASH_ENTRIES = Pattern.compile("(?:^|\\s)dhash_entries=(\\S+)");
    private static final long PAGE_SIZE = 4096;
    private static final long BUCKET_BYTES = 8;
    /** The dentry hash uses one bucket per 2^13 bytes of memory; pages are 2^12 bytes. */
    private static final int SCALE_SHIFT = 13 - 12;
    private static final long MAX_BUCKETS = 0x80000000L;

    private HashTableSizing() {}

    /** The last "Dentry cache hash table entries" line in a kernel log, if any. */
    public static OptionalLong fromKernelLog(String log) {
        if (log == null) {
            return OptionalLong.empty();
        }
        Matcher m = LOG_LINE.matcher(log);
        OptionalLong found = OptionalLong.empty();
        while (m.find()) {
            try {
                long n = Long.parseLong(m.group(1));
                if (n > 0) {
                    found = OptionalLong.of(n);
                }
            } catch (NumberFormatException ignored) {
                // a number too long to be real: keep looking
            }
        }
        return found;
    }

    /**
     * dhash_entries= from the kernel command line, parsed like the kernel's simple_strtoul with base 0
     * (decimal, 0x hex or leading-0 octal). Empty when absent, zero or not a number (the kernel then
     * ignores it as well).
     */
    public static OptionalLong dhashEntries(String cmdline) {
        if (cmdline == null) {
            return OptionalLong.empty();
        }
        // Arguments after a lone "--" go to init, not to the kernel.
        String kernelPart = cmdline.split("(^|\\s)--(\\s|$)", 2)[0];
        Matcher m = DHASH_ENTRIES.matcher(kernelPart);
        OptionalLong found = OptionalLong.empty();
        while (m.find()) {
            found = parseCUnsigned(m.group(1));
        }
        return found;
    }

    private static OptionalLong parseCUnsigned(String s) {
        try {
            long v;
            if (s.startsWith("0x") || s.startsWith("0X")) {
                v = Long.parseLong(s.substring(2), 16);
            } else if (s.length() > 1 && s.startsWith("0")) {
                v = Long.parseLong(s.substring(1), 8);
            } else {
                v = Long.parseLong(s);
            }
            return v > 0 ? OptionalLong.of(v) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The kernel's sizing rule: pages of memory rounded up to a multiple of 1 MiB, one bucket per
     * two pages, rounded up to a power of two, capped at 1/16 of memory; {@code dhashEntries}, when
     * given, replaces the memory-derived count before the power-of-two rounding.
     *
     * @param memTotalBytes MemTotal, which is within a few percent of the pages the kernel counted
     *                      at boot; the power-of-two rounding absorbs the difference except right at
     *                      a boundary, which is why the kernel log is preferred.
     */
    public static long fromMemory(long memTotalBytes, OptionalLong dhashEntries) {
        if (memTotalBytes <= 0) {
            throw new IllegalArgumentException("MemTotal must be positive, got " + memTotalBytes);
        }
        long pages = memTotalBytes / PAGE_SIZE;
        long entries;
        if (dhashEntries.isPresent()) {
            entries = dhashEntries.getAsLong();
        } else {
            long pagesPerMiB = (1L << 20) / PAGE_SIZE;
            entries = ((pages + pagesPerMiB - 1) / pagesPerMiB) * pagesPerMiB;
            entries >>= SCALE_SHIFT;
            entries = Math.max(entries, PAGE_SIZE / BUCKET_BYTES);
        }
        entries = roundUpToPowerOfTwo(entries);
        // The kernel keeps ilog2 of the result, so a cap that is not a power of two rounds down.
        long max = Long.highestOneBit(Math.max(1, Math.min(memTotalBytes / 16 / BUCKET_BYTES, MAX_BUCKETS)));
        return Math.min(entries, max);
    }

    static long roundUpToPowerOfTwo(long n) {
        if (n <= 1) {
            return 1;
        }
        return Long.highestOneBit(n - 1) << 1;
    }
}
