package io.dentryguard.probe.flood;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Makes negative dentries the way a misbehaving container does: looks up names that do not exist
 * in one directory. Each lookup of a new name leaves one negative dentry (about 200 bytes of
 * kernel memory, charged to the caller's memory cgroup) until the directory is removed. Used by the
 * {@code flood} command, the tests and the demonstration; it has no place in a production probe.
 */
public final class NegativeDentryFlood {
    /** A paced flood checks its pace every this many names: often enough to be smooth, rarely enough to cost nothing. */
    private static final int PACE_EVERY = 1000;

    private NegativeDentryFlood() {}

    /** The outcome: lookups made and names that unexpectedly existed. */
    public record Result(long lookups, long existing, long elapsedNanos) {
        public double perSecond() {
            return lookups / Math.max(1e-9, elapsedNanos / 1e9);
        }
    }

    public static Result lookUpMissingNames(Path dir, long count, int threads) throws IOException, InterruptedException {
        return lookUpMissingNames(dir, count, threads, 0);
    }

    /**
     * As above, at most {@code namesPerSecond} names a second in all (0: as fast as the threads go):
     * the demonstration paces its flood so that the story takes the same time on any machine.
     */
    public static Result lookUpMissingNames(Path dir, long count, int threads, long namesPerSecond) throws IOException, InterruptedException {
        if (count < 1 || threads < 1 || namesPerSecond < 0) {
            throw new IllegalArgumentException("count and threads must be positive, the rate not negative");
        }
        // Each thread's time per name when paced; 0 when not.
        double nanosPerName = namesPerSecond == 0 ? 0 : 1e9 * threads / namesPerSecond;
        Files.createDirectories(dir);
        String base = dir.toAbsolutePath() + File.separator;
        AtomicLong existing = new AtomicLong();
        long started = System.nanoTime();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            long share = count / threads + (t < count % threads ? 1 : 0);
            workers[t] = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (long i = 0; i < share; i++) {
                    if (nanosPerName > 0 && i % PACE_EVERY == 0) {
                        long ahead = started + (long) (i * nanosPerName) - System.nanoTime();
                        if (ahead > 0) {
                            LockSupport.parkNanos(ahead);
                        }
                    }
                    // 32 random hex digits: never an existing name, never the same twice in practice.
                    String name = Long.toHexString(random.nextLong() | Long.MIN_VALUE)
                            + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
                    if (new File(base + name).exists()) {
                        existing.incrementAndGet();
                    }
                }
            }, "flood-" + t);
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        return new Result(count, existing.get(), System.nanoTime() - started);
    }
}
