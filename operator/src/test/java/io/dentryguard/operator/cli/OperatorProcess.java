package io.dentryguard.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged operator jar run as ./dentry-guard operator runs it, against an API server of the tests through a kubeconfig. */
final class OperatorProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int port;

    /**
     * @param kubeconfig whom it runs as, where (an administrator on the mock, its service account on the real server)
     * @param settings   DENTRYGUARD_* variables, as a Deployment sets them
     */
    OperatorProcess(Path kubeconfig, Path dir, Map<String, String> settings) throws IOException {
        String jar = System.getProperty("operator.jar");
        assertThat(jar).as("operator.jar (run through mvn verify)").isNotNull();
        assertThat(new File(jar)).isFile();
        log = dir.resolve("operator.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-jar", jar)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("DENTRYGUARD_METRICS_PORT", "0");
        pb.environment().putAll(settings);
        process = pb.start();
        Pattern listening = Pattern.compile("metrics on :(\\d+)");
        await().atMost(Duration.ofSeconds(60)).until(() -> listening.matcher(log()).find() || !process.isAlive());
        Matcher m = listening.matcher(log());
        assertThat(m.find()).as(log()).isTrue();
        port = Integer.parseInt(m.group(1));
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the answer's status code and body, "503 informers not healthy\n" for example */
    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    /**
     * Stops it as Kubernetes does (SIGTERM) and returns its exit code; fails where it has not ended
     * within a pod's default grace period, after which the kubelet would kill it.
     */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the operator did not end within 30 s of SIGTERM; its log:\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
