package io.dentryguard.probe.monitor;

/**
 * The number of buckets in the kernel's dentry hash table, and where that number came from: it
 * turns nr_dentry into an average chain length, the probe's baseline-free indicator.
 */
public record HashBuckets(long buckets, Source source, String detail) {

    public enum Source {
        /** "Dentry cache hash table entries: N" printed at boot. Exact. */
        KERNEL_LOG("kernelLog"),
        /** The kernel's own sizing rule applied to MemTotal (and dhash_entries=). */
        SIZING_RULE("sizingRule"),
        /** The operator's configuration, used when neither of the above could be read. */
        CONFIGURATION("configuration");

        private final String jsonName;

        Source(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }
    }

    public HashBuckets {
        if (buckets <= 0) {
            throw new IllegalArgumentException("hash bucket count must be positive, got " + buckets);
        }
    }
}
