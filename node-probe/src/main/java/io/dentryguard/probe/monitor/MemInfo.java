package io.dentryguard.probe.monitor;

import java.util.HashMap;
import java.util.Map;

/**
 * The /proc/meminfo figures that matter for dentry floods. MemAvailable does not drop during a
 * flood (dentries are reclaimable); MemFree and SReclaimable do. MemAvailable is null before 3.14.
 */
public record MemInfo(long totalBytes, long freeBytes, Long availableBytes, long slabReclaimableBytes) {
    public static final String SOURCE = "/proc/meminfo";

    public static MemInfo parse(String text) throws ProcFormatException {
        if (text == null || text.isBlank()) {
            throw new ProcFormatException(SOURCE, "file is empty");
        }
        Map<String, Long> kib = new HashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = line.substring(0, colon);
            String[] f = Numbers.fields(line.substring(colon + 1));
            if (f.length == 2 && f[1].equals("kB")) {
                kib.put(key, Numbers.unsigned(SOURCE, key, f[0]));
            }
        }
        return new MemInfo(
                bytes(kib, "MemTotal"),
                bytes(kib, "MemFree"),
                kib.containsKey("MemAvailable") ? kib.get("MemAvailable") * 1024 : null,
                bytes(kib, "SReclaimable"));
    }

    private static long bytes(Map<String, Long> kib, String key) throws ProcFormatException {
        Long v = kib.get(key);
        if (v == null) {
            throw new ProcFormatException(SOURCE, key + " is missing");
        }
        return Math.multiplyExact(v, 1024L);
    }
}
