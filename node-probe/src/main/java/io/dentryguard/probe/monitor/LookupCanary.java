package io.dentryguard.probe.monitor;

import io.dentryguard.probe.numbers.Median;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Times path lookups over a private tree of distinct paths, the way a victim workload feels a
 * flooded dentry hash table.
 *
 * <p>Why it is built this way (measured, see docs/probe.md): one hot path stays in the CPU cache and
 * under-reports, so the tree has thousands of distinct paths; every path component is one hash
 * lookup, so paths are several levels deep. Raw nanoseconds jump when other processes compete for
 * the CPU, so each small chunk of lstat calls is immediately followed by the same number of control
 * calls that do no path lookup ({@link FileChannel#size()}, an fstat), and the canary's figure is
 * the median over chunks of lstat time divided by control time: a preemption or a frequency change
 * hits both halves of a chunk alike, and the median discards the chunks it does not.
 */
public final class LookupCanary implements Closeable {
    static final String LAYOUT_FILE = ".dentry-guard-canary";
    private static final int CHUNK = 20;
    private static final int WARM_UP_PASSES = 3;

    private final Path directory;
    private final List<Path> paths;
    private final int lookupsPerPath;
    private final FileChannel control;
    private final Clock clock;

    private LookupCanary(Path directory, List<Path> paths, FileChannel control, Clock clock) {
        this.directory = directory;
        this.paths = paths;
        this.lookupsPerPath = paths.get(0).getNameCount();
        this.control = control;
        this.clock = clock;
    }

    /**
     * Creates (or re-uses) the tree of {@code entries} leaf files under {@code directory}. Refuses a
     * non-empty directory that this probe did not create, so a wrong flag never touches user files.
     */
    public static LookupCanary prepare(Path directory, int entries, Clock clock) throws IOException {
        if (entries < CHUNK) {
            throw new IllegalArgumentException("canary needs at least " + CHUNK + " entries, got " + entries);
        }
        Path dir = directory.toAbsolutePath().normalize();
        int fanout = (int) Math.ceil(Math.cbrt(entries));
        String layout = "entries=" + entries + " fanout=" + fanout + "\n";
        Path layoutFile = dir.resolve(LAYOUT_FILE);
        Files.createDirectories(dir);
        boolean ours = Files.exists(layoutFile);
        if (!ours) {
            try (Stream<Path> children = Files.list(dir)) {
                if (children.findAny().isPresent()) {
                    throw new IOException("directory " + dir + " is not empty and was not made by dentry-guard");
                }
            }
        } else if (!Files.readString(layoutFile, StandardCharsets.UTF_8).equals(layout)) {
            deleteTree(dir, false);
        }
        List<Path> leaves = new ArrayList<>(entries);
        outer:
        for (int a = 0; a < fanout; a++) {
            for (int b = 0; b < fanout; b++) {
                Path parent = dir.resolve(String.format("dir-%02d", a)).resolve(String.format("sub-%02d", b));
                Files.createDirectories(parent);
                for (int c = 0; c < fanout; c++) {
                    if (leaves.size() == entries) {
                        break outer;
                    }
                    Path leaf = parent.resolve(String.format("entry-%03d.dat", c));
                    if (!Files.exists(leaf, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createFile(leaf);
                    }
                    leaves.add(leaf);
                }
            }
        }
        Files.writeString(layoutFile, layout, StandardCharsets.UTF_8);
        // A fixed shuffle: neighbouring lookups land in unrelated buckets, the same order every run.
        Collections.shuffle(leaves, new Random(0x64656e74L));
        FileChannel control = FileChannel.open(layoutFile, StandardOpenOption.READ);
        LookupCanary canary = new LookupCanary(dir, List.copyOf(leaves), control, clock);
        canary.warmUp();
        return canary;
    }

    /** Removes a canary tree made by {@link #prepare}; does nothing to a directory without its marker. */
    public static void deleteTree(Path dir, boolean includingDirectory) throws IOException {
        if (!Files.exists(dir.resolve(LAYOUT_FILE))) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = walk.sorted(Collections.reverseOrder()).toList();
            for (Path p : all) {
                if (!p.equals(dir) || includingDirectory) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Untimed passes before the first measurement: they bring the tree into the dentry cache and let
     * the JIT compile both loops: without them the first run read 1,177 ns per lookup against 695 ns
     * in the runs after it.
     */
    private void warmUp() throws IOException {
        for (int i = 0; i < WARM_UP_PASSES; i++) {
            measure(1);
        }
    }

    public Path directory() {
        return directory;
    }

    /** Walks every path {@code passes} times with lstat, interleaved with control calls. */
    public CanaryMeasurement measure(int passes) throws IOException {
        if (passes < 1) {
            throw new IllegalArgumentException("passes must be at least 1");
        }
        int chunksPerPass = (paths.size() + CHUNK - 1) / CHUNK;
        double[] nsPerLookup = new double[chunksPerPass * passes];
        double[] relative = new double[chunksPerPass * passes];
        long sink = 0;
        int k = 0;
        long started = System.nanoTime();
        for (int pass = 0; pass < passes; pass++) {
            for (int from = 0; from < paths.size(); from += CHUNK) {
                int to = Math.min(paths.size(), from + CHUNK);
                long t0 = System.nanoTime();
                for (int i = from; i < to; i++) {
                    sink += Files.readAttributes(paths.get(i), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
                }
                long t1 = System.nanoTime();
                for (int i = from; i < to; i++) {
                    sink += control.size();
                }
                long t2 = System.nanoTime();
                int n = to - from;
                nsPerLookup[k] = (t1 - t0) / (double) (n * lookupsPerPath);
                relative[k] = (t1 - t0) / (double) Math.max(1, t2 - t1);
                k++;
            }
        }
        long elapsed = System.nanoTime() - started;
        if (sink < 0) {
            throw new IllegalStateException("impossible negative file size");
        }
        return new CanaryMeasurement(clock.instant(), Median.of(nsPerLookup), Median.of(relative),
                paths.size(), lookupsPerPath, passes, elapsed, nsPerLookup);
    }

    @Override
    public void close() throws IOException {
        control.close();
    }
}
