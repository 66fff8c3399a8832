package io.dentryguard.probe.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the packaged probe jar as a separate process, as a user would. */
final class ProbeProcess {
    record Outcome(int exitCode, String stdout, String stderr) {}

    private ProbeProcess() {}

    static Path jar() {
        String jar = System.getProperty("probe.jar");
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("probe.jar not set or missing (" + jar + "): run through mvn verify");
        }
        return Path.of(jar);
    }

    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static Outcome run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        return run(command(args), timeoutSeconds);
    }

    static Outcome run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        return run(command, java.util.Map.of(), timeoutSeconds);
    }

    static Outcome run(List<String> command, java.util.Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("probe-out", ".txt");
        Path err = Files.createTempFile("probe-err", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(env);
            Process p = builder.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("probe did not finish in " + timeoutSeconds + " s: " + String.join(" ", command)
                        + "\nstderr: " + Files.readString(err));
            }
            return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
