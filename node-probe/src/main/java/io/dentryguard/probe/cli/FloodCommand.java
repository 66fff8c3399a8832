package io.dentryguard.probe.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Makes negative dentries on purpose, the way a misbehaving container does: looks up names that do
 * not exist in one directory. For tests and demonstrations; remove the directory to free them.
 */
@Command(name = "flood",
        mixinStandardHelpOptions = true,
        description = {"Creates negative dentries by looking up COUNT random names that do not exist in DIR.",
                "A test and demonstration tool. Each costs about 200 bytes of kernel memory until DIR is removed."})
public final class FloodCommand implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "DIR",
            description = "Directory to look names up in, on a disk file system (tmpfs keeps no negative dentries).")
    Path dir;

    @Option(names = "--count", required = true, paramLabel = "N", description = "Number of distinct missing names.")
    long count;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "Lookup threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (count < 1 || threads < 1 || threads > 64) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be positive and --threads within 1..64");
        }
        Files.createDirectories(dir);
        String base = dir.toAbsolutePath().toString() + File.separator;
        AtomicLong found = new AtomicLong();
        long started = System.nanoTime();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            long share = count / threads + (t < count % threads ? 1 : 0);
            workers[t] = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (long i = 0; i < share; i++) {
                    // 32 random hex digits: practically never an existing name, never the same twice.
                    String name = Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
                    if (new File(base + name).exists()) {
                        found.incrementAndGet();
                    }
                }
            }, "flood-" + t);
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "looked up %,d missing names in %s in %.1f s (%,.0f per second)%n",
                count, dir, seconds, count / seconds);
        return found.get() == 0 ? 0 : 1;
    }
}
