package io.dentryguard.probe.monitor;

/**
 * The six fields of /proc/sys/fs/dentry-state. {@code negative} is null where the kernel does not
 * count negative dentries (before 5.0 that field is a constant 0, which would read as "no flood").
 */
public record DentryState(long total, long unused, long ageLimitSeconds, long wantPages, Long negative) {
    public static final String SOURCE = "/proc/sys/fs/dentry-state";

    /** nr_negative was added to dentry-state in Linux 5.0. */
    public static boolean kernelCountsNegatives(KernelRelease kernel) {
        return kernel.atLeast(5, 0);
    }

    public static DentryState parse(String text, KernelRelease kernel) throws ProcFormatException {
        if (text == null || text.isBlank()) {
            throw new ProcFormatException(SOURCE, "file is empty");
        }
        String[] lines = text.strip().split("\n");
        if (lines.length != 1) {
            throw new ProcFormatException(SOURCE, "expected one line, found " + lines.length);
        }
        String[] f = Numbers.fields(lines[0]);
        if (f.length != 6) {
            throw new ProcFormatException(SOURCE, "expected 6 fields, found " + f.length);
        }
        long total = Numbers.unsigned(SOURCE, "nr_dentry", f[0]);
        long unused = Numbers.unsigned(SOURCE, "nr_unused", f[1]);
        long ageLimit = Numbers.unsigned(SOURCE, "age_limit", f[2]);
        long wantPages = Numbers.unsigned(SOURCE, "want_pages", f[3]);
        Long negative = null;
        if (kernelCountsNegatives(kernel)) {
            negative = Numbers.unsigned(SOURCE, "nr_negative", f[4]);
            if (negative > total) {
                throw new ProcFormatException(SOURCE, "nr_negative " + negative + " exceeds nr_dentry " + total);
            }
        } else {
            Numbers.unsigned(SOURCE, "dummy", f[4]);
        }
        Numbers.unsigned(SOURCE, "dummy", f[5]);
        return new DentryState(total, unused, ageLimit, wantPages, negative);
    }
}
