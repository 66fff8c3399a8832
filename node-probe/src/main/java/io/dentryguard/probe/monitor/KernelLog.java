package io.dentryguard.probe.monitor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The kernel ring buffer, read with the dmesg command: /dev/kmsg cannot be read without blocking
 * from Java, and dmesg is present on every distribution and most node images.
 */
public final class KernelLog {
    private final List<String> command;
    private final long timeoutMillis;

    public KernelLog(List<String> command, long timeoutMillis) {
        this.command = List.copyOf(command);
        this.timeoutMillis = timeoutMillis;
    }

    public static KernelLog dmesg() {
        return new KernelLog(List.of("dmesg"), 3000);
    }

    /** The log text, or an exception saying why it could not be had. */
    public String read() throws ProcFiles.UnreadableException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new ProcFiles.UnreadableException("kernel log: cannot run " + String.join(" ", command) + ": " + e.getMessage());
        }
        try (InputStream in = process.getInputStream()) {
            process.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new ProcFiles.UnreadableException("kernel log: " + command.get(0) + " did not finish in " + timeoutMillis + " ms");
            }
            String text = out.toString(StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                String firstLine = text.lines().findFirst().orElse("").strip();
                throw new ProcFiles.UnreadableException("kernel log: " + command.get(0) + " exited " + process.exitValue() + ": " + firstLine);
            }
            return text;
        } catch (IOException e) {
            process.destroyForcibly();
            throw new ProcFiles.UnreadableException("kernel log: " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ProcFiles.UnreadableException("kernel log: interrupted");
        }
    }
}
