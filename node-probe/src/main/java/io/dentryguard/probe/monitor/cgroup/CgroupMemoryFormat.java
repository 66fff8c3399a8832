package io.dentryguard.probe.monitor.cgroup;

import io.dentryguard.probe.monitor.ProcFormatException;

/**
 * Parses the per-cgroup kernel-memory figure. v1: {@code memory.kmem.usage_in_bytes}, one number
 * covering all kernel memory charged to the cgroup (dentries and inodes among it). v2:
 * {@code memory.stat}'s {@code slab_reclaimable}, the reclaimable slab where dentries and inodes live
 * ({@code slab} and {@code kernel} are wider and include unreclaimable kernel memory).
 */
public final class CgroupMemoryFormat {
    public static final String V1_FILE = "memory.kmem.usage_in_bytes";
    public static final String V2_FILE = "memory.stat";

    private CgroupMemoryFormat() {}

    public static long parseV1(String cgroup, String text) throws ProcFormatException {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw new ProcFormatException(cgroup + "/" + V1_FILE, "file is empty");
        }
        return byteCount(cgroup + "/" + V1_FILE, "", t);
    }

    private static long byteCount(String source, String field, String value) throws ProcFormatException {
        try {
            long v = Long.parseLong(value);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ProcFormatException(source, field + "not a byte count: '" + (value.length() > 40 ? value.substring(0, 40) : value) + "'");
        }
    }

    public static long parseV2(String cgroup, String text) throws ProcFormatException {
        if (text == null || text.isBlank()) {
            throw new ProcFormatException(cgroup + "/" + V2_FILE, "file is empty");
        }
        for (String line : text.split("\n")) {
            if (line.startsWith("slab_reclaimable ")) {
                return byteCount(cgroup + "/" + V2_FILE, "slab_reclaimable is ", line.substring("slab_reclaimable ".length()).strip());
            }
        }
        throw new ProcFormatException(cgroup + "/" + V2_FILE, "no slab_reclaimable line");
    }
}
