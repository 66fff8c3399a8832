package io.dentryguard.demo.guard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real probe and operator, run as users run them: {@code ./dentry-guard probe ...} and
 * {@code ./dentry-guard operator ...} (the launcher holds their JVM flags), each a process with its
 * output in a log file of the demo's directory, pointed at the demo's API server by KUBECONFIG.
 */
public final class GuardProcesses implements AutoCloseable {
    private final Path launcher;
    private final Path workDir;
    private final Path kubeconfig;
    private final Map<String, Process> running = new LinkedHashMap<>();

    public GuardProcesses(Path launcher, Path workDir, Path kubeconfig) {
        this.launcher = launcher;
        this.workDir = workDir;
        this.kubeconfig = kubeconfig;
    }

    /** Starts {@code launcher program args...}; its output goes to {@code program.log}. */
    public void start(String program, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(launcher.toString(), program));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(program).toFile());
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        running.put(program, pb.start());
    }

    public Path log(String program) {
        return workDir.resolve(program + ".log");
    }

    /** Throws, with the end of its log, when a program has exited: the story cannot go on without it. */
    public void requireRunning() throws IOException {
        for (Map.Entry<String, Process> e : running.entrySet()) {
            if (!e.getValue().isAlive()) {
                throw new IllegalStateException("the " + e.getKey() + " exited (code " + e.getValue().exitValue() + "); the end of "
                        + log(e.getKey()) + ":\n" + tail(log(e.getKey()), 15));
            }
        }
    }

    public static String tail(Path file, int lines) throws IOException {
        if (!Files.exists(file)) {
            return "(no log)";
        }
        List<String> all = Files.readAllLines(file);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Stops every program (SIGTERM, then SIGKILL after 20 s). */
    @Override
    public void close() {
        running.values().forEach(Process::destroy);
        for (Process p : running.values()) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        running.clear();
    }
}
