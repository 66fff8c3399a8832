package io.dentryguard.probe.monitor;

/**
 * The {@code dentry} line of /proc/slabinfo. {@code bytes} is allocated object slots times object
 * size: the memory the dentry objects occupy, independent of the page size.
 */
public record DentrySlab(long activeObjects, long objects, long objectSizeBytes, long bytes) {
    public static final String SOURCE = "/proc/slabinfo";

    public static DentrySlab parse(String text) throws ProcFormatException {
        if (text == null || text.isBlank()) {
            throw new ProcFormatException(SOURCE, "file is empty");
        }
        String[] lines = text.split("\n");
        if (!lines[0].startsWith("slabinfo - version: 2.")) {
            throw new ProcFormatException(SOURCE, "unknown header '" + Numbers.shorten(lines[0]) + "'");
        }
        for (String line : lines) {
            // Split only the one line that matters: slabinfo has ~240 lines, read every sample.
            if (!line.startsWith("dentry ")) {
                continue;
            }
            String[] f = Numbers.fields(line);
            // name active_objs num_objs objsize objperslab pagesperslab : tunables ... : slabdata ...
            // A complete line ends with the slabdata section; anything shorter was cut off.
            if (f.length < 16 || !f[6].equals(":") || !f[7].equals("tunables") || !f[11].equals(":")
                    || !f[12].equals("slabdata")) {
                throw new ProcFormatException(SOURCE, "dentry line is incomplete or garbled: '" + Numbers.shorten(line.strip()) + "'");
            }
            long active = Numbers.unsigned(SOURCE, "dentry active_objs", f[1]);
            long objects = Numbers.unsigned(SOURCE, "dentry num_objs", f[2]);
            long size = Numbers.unsigned(SOURCE, "dentry objsize", f[3]);
            Numbers.unsigned(SOURCE, "dentry objperslab", f[4]);
            Numbers.unsigned(SOURCE, "dentry pagesperslab", f[5]);
            if (active > objects) {
                throw new ProcFormatException(SOURCE, "dentry active_objs " + active + " exceeds num_objs " + objects);
            }
            if (size == 0) {
                throw new ProcFormatException(SOURCE, "dentry objsize is 0");
            }
            return new DentrySlab(active, objects, size, Math.multiplyExact(objects, size));
        }
        throw new ProcFormatException(SOURCE, "no dentry line");
    }
}
