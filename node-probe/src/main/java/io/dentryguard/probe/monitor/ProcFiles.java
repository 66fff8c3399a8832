package io.dentryguard.probe.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads kernel files under a configurable root, so that tests can point it at a tree of captured
 * files and a probe in a pod at the host's /proc. The only place that touches /proc.
 */
public final class ProcFiles {
    private final Path procRoot;

    public ProcFiles(Path procRoot) {
        this.procRoot = procRoot;
    }

    /** A path such as "/proc/sys/fs/dentry-state" resolved under the configured root. */
    public Path resolve(String procPath) {
        String relative = procPath.startsWith("/proc/") ? procPath.substring("/proc/".length()) : procPath;
        return procRoot.resolve(relative);
    }

    /** The whole file as text, or an exception whose message says why it could not be read. */
    public String read(String procPath) throws UnreadableException {
        Path p = resolve(procPath);
        try {
            // Not Files.readAllBytes: /proc/sys files report size 0, so it reads one byte, then
            // the sysctl handler answers end-of-file at offset 1 ("6413 5432 ..." comes back as "6").
            // A buffered stream asks for 8 KiB at once and gets the whole line.
            try (InputStream in = Files.newInputStream(p)) {
                return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            }
        } catch (NoSuchFileException e) {
            throw new UnreadableException(procPath + ": does not exist (at " + p + ")");
        } catch (AccessDeniedException e) {
            throw new UnreadableException(procPath + ": permission denied (needs root)");
        } catch (IOException e) {
            throw new UnreadableException(procPath + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
    }

    /** A kernel file that exists but could not be read, or does not exist. */
    public static final class UnreadableException extends Exception {
        public UnreadableException(String message) {
            super(message);
        }
    }
}
