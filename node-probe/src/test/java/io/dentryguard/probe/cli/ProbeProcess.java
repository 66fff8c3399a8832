package io.dentryguard.probe.cli;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the packaged probe jar as a separate process, as a user would. */
public final class ProbeProcess {
    record Outcome(int exitCode, String stdout, String stderr) {
        private static final ObjectMapper JSON = new ObjectMapper();

        /** The samples of a {@code --json} run, one per line. */
        List<JsonNode> jsonLines() throws IOException {
            List<JsonNode> samples = new ArrayList<>();
            for (String line : stdout.lines().toList()) {
                samples.add(JSON.readTree(line));
            }
            return samples;
        }
    }

    private ProbeProcess() {}

    /** The packaged probe jar that mvn verify built (failsafe's probe.jar). */
    public static Path jar() {
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

    /** A probe sampling every 200 ms and serving /metrics on a free port of 127.0.0.1, until closed. */
    record Serving(Process process, String metricsUrl) implements AutoCloseable {
        private static final Pattern SERVING = Pattern.compile("serving metrics on (http://127\\.0\\.0\\.1:\\d+/metrics)");

        static Serving start(Path dir) throws IOException {
            Path err = dir.resolve("stderr.txt");
            Process p = new ProcessBuilder(command("probe", "--json", "--interval", "200ms", "--samples", "600", "--no-state",
                    "--metrics-port", "0", "--metrics-address", "127.0.0.1", "--canary-dir", dir.resolve("canary").toString()))
                    .redirectError(err.toFile()).redirectOutput(dir.resolve("stdout.txt").toFile()).start();
            try {
                String url = await().atMost(Duration.ofSeconds(30)).until(() -> {
                    Matcher m = SERVING.matcher(Files.readString(err));
                    return m.find() ? m.group(1) : null;
                }, u -> u != null);
                return new Serving(p, url);
            } catch (RuntimeException e) {
                p.destroy();
                throw e;
            }
        }

        /** The first scrape that {@code until} accepts (the first samples take a moment). */
        String scrape(Predicate<String> until) {
            HttpClient client = HttpClient.newHttpClient();
            return await().atMost(Duration.ofSeconds(30)).until(
                    () -> client.send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(), HttpResponse.BodyHandlers.ofString()).body(),
                    until::test);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
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
