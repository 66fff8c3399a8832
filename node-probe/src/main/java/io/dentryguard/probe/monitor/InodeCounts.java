package io.dentryguard.probe.monitor;

/**
 * /proc/sys/fs/inode-nr: inodes allocated and free. A build or an untar grows these together with
 * the dentries; a lookup flood grows dentries only, which is how the two are told apart.
 */
public record InodeCounts(long allocated, long free) {
    public static final String SOURCE = "/proc/sys/fs/inode-nr";

    public static InodeCounts parse(String text) throws ProcFormatException {
        if (text == null || text.isBlank()) {
            throw new ProcFormatException(SOURCE, "file is empty");
        }
        String[] f = Numbers.fields(text);
        if (f.length != 2) {
            throw new ProcFormatException(SOURCE, "expected 2 fields, found " + f.length);
        }
        return new InodeCounts(Numbers.unsigned(SOURCE, "nr_inodes", f[0]), Numbers.unsigned(SOURCE, "nr_free_inodes", f[1]));
    }
}
