package io.dentryguard.probe.monitor.cgroup;

import io.dentryguard.probe.monitor.ProcFiles;
import io.dentryguard.probe.monitor.ProcFormatException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the kernel memory of pod and host cgroups every sample, and of containers when the tree is
 * rescanned. Keeps one open file per cgroup and re-reads it at offset 0, which halves the cost of
 * reading 110 pods. A cgroup that disappears (pods end all the time) is dropped without noise; one
 * that cannot be read is reported once.
 */
public final class CgroupMonitor implements Closeable {
    private final Path memoryRoot;
    private final boolean v2;
    private final int rescanEvery;
    private final Map<String, FileChannel> open = new HashMap<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
    private final CgroupDiscovery discovery = new CgroupDiscovery();
    private List<CgroupIdentity> known = List.of();
    private final Map<String, CgroupMemory> lastContainers = new LinkedHashMap<>();
    private long samples;

    private CgroupMonitor(Path memoryRoot, boolean v2, int rescanEvery) {
        this.memoryRoot = memoryRoot;
        this.v2 = v2;
        this.rescanEvery = rescanEvery;
    }

    /**
     * Finds the memory controller under {@code cgroupRoot}: the unified (v2) hierarchy if it has the
     * memory controller, else the v1 {@code memory} hierarchy.
     */
    public static CgroupMonitor open(Path cgroupRoot, int rescanEvery) throws ProcFiles.UnreadableException {
        if (rescanEvery < 1) {
            throw new IllegalArgumentException("rescanEvery must be at least 1");
        }
        Path controllers = cgroupRoot.resolve("cgroup.controllers");
        try {
            if (Files.exists(controllers) && List.of(Files.readString(controllers).strip().split("\\s+")).contains("memory")) {
                return new CgroupMonitor(cgroupRoot, true, rescanEvery);
            }
        } catch (IOException e) {
            throw new ProcFiles.UnreadableException(controllers + ": " + e.getMessage());
        }
        Path v1 = cgroupRoot.resolve("memory");
        if (Files.isRegularFile(v1.resolve(CgroupMemoryFormat.V1_FILE))) {
            return new CgroupMonitor(v1, false, rescanEvery);
        }
        throw new ProcFiles.UnreadableException("no memory cgroup controller under " + cgroupRoot
                + " (neither cgroup v2 with memory in cgroup.controllers nor v1 memory/" + CgroupMemoryFormat.V1_FILE + ")");
    }

    public String version() {
        return v2 ? "v2" : "v1";
    }

    public Path memoryRoot() {
        return memoryRoot;
    }

    public CgroupSnapshot sample() {
        List<String> problems = new ArrayList<>();
        boolean rescan = samples++ % rescanEvery == 0;
        if (rescan) {
            try {
                known = discovery.discover(memoryRoot);
            } catch (IOException e) {
                problems.add("cannot list cgroups under " + memoryRoot + ": " + e.getMessage());
            }
            closeVanished();
            lastContainers.clear();
        }
        List<CgroupMemory> out = new ArrayList<>();
        for (CgroupIdentity id : known) {
            boolean container = id.kind() == CgroupIdentity.Kind.CONTAINER;
            if (container && !rescan) {
                CgroupMemory last = lastContainers.get(id.path());
                if (last != null) {
                    out.add(last);
                }
                continue;
            }
            try {
                CgroupMemory m = new CgroupMemory(id, read(id.path()));
                out.add(m);
                if (container) {
                    lastContainers.put(id.path(), m);
                }
            } catch (Vanished e) {
                // the pod ended between listing and reading: nothing to report
            } catch (IOException | ProcFormatException e) {
                problems.add(e.getMessage());
            }
        }
        return new CgroupSnapshot(version(), out, problems);
    }

    private long read(String relative) throws IOException, ProcFormatException, Vanished {
        String file = v2 ? CgroupMemoryFormat.V2_FILE : CgroupMemoryFormat.V1_FILE;
        FileChannel ch = open.get(relative);
        try {
            if (ch == null) {
                ch = FileChannel.open(memoryRoot.resolve(relative).resolve(file), StandardOpenOption.READ);
                open.put(relative, ch);
            }
            buffer.clear();
            int n;
            long position = 0;
            while ((n = ch.read(buffer, position)) > 0) {
                position += n;
                if (!buffer.hasRemaining()) {
                    break;
                }
            }
        } catch (NoSuchFileException e) {
            forget(relative);
            throw new Vanished();
        } catch (AccessDeniedException e) {
            forget(relative);
            throw new IOException(relative + "/" + file + ": permission denied");
        } catch (IOException e) {
            // A removed cgroup's open file answers ENODEV; a missing directory, ENOENT.
            forget(relative);
            if (!Files.isDirectory(memoryRoot.resolve(relative))) {
                throw new Vanished();
            }
            throw new IOException(relative + "/" + file + ": " + e.getMessage());
        }
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
        return v2 ? CgroupMemoryFormat.parseV2(relative, text) : CgroupMemoryFormat.parseV1(relative, text);
    }

    private void forget(String relative) {
        FileChannel ch = open.remove(relative);
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing a file of a vanished cgroup: nothing to do
            }
        }
    }

    private void closeVanished() {
        java.util.Set<String> paths = new java.util.HashSet<>();
        known.forEach(k -> paths.add(k.path()));
        Iterator<Map.Entry<String, FileChannel>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, FileChannel> e = it.next();
            if (!paths.contains(e.getKey())) {
                try {
                    e.getValue().close();
                } catch (IOException ignored) {
                    // as above
                }
                it.remove();
            }
        }
    }

    @Override
    public void close() {
        for (FileChannel ch : open.values()) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // shutting down
            }
        }
        open.clear();
    }

    private static final class Vanished extends Exception {
        Vanished() {
            super(null, null, false, false);
        }
    }
}
