package io.dentryguard.demo.kubelet;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** A {@code podman logs --follow} process whose lines go to a consumer on a thread of its own, until it ends or is closed. */
final class LogFollower implements Closeable {
    private final Process process;

    private LogFollower(Process process) {
        this.process = process;
    }

    static LogFollower start(ProcessBuilder logsFollow, Consumer<String> line, Consumer<LogFollower> ended) {
        try {
            Process p = logsFollow.redirectErrorStream(true).start();
            LogFollower follower = new LogFollower(p);
            Thread t = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l = in.readLine(); l != null; l = in.readLine()) {
                        line.accept(l);
                    }
                } catch (IOException e) {
                    // The process was closed under the reader: the end of the logs.
                } finally {
                    ended.accept(follower);
                }
            }, "logs-" + p.pid());
            t.setDaemon(true);
            t.start();
            return follower;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
    }
}
