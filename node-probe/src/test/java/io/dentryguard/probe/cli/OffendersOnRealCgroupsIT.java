package io.dentryguard.probe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dentryguard.probe.testing.KubeletCgroupTree;
import io.dentryguard.probe.testing.RealKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real processes in real kubelet-style cgroups (v1 memory controller): a flooder, a file creator and
 * ordinary work, each in its own pod, judged by the packaged probe. Bounded to 1M negative dentries
 * (~200 MB of slab) and 30,000 files. Processes, cgroups and directories are removed afterwards,
 * also when the test fails.
 */
class OffendersOnRealCgroupsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FLOOD_UID = UUID.randomUUID().toString();
    private static final String FILES_UID = UUID.randomUUID().toString();
    private static final String WORK_UID = UUID.randomUUID().toString();

    private KubeletCgroupTree tree;
    private Path scratch;
    private int started;

    @BeforeEach
    void setUp() throws Exception {
        RealKernel.assumeRootOnLinux();
        RealKernel.assumeCountsNegatives();
        tree = KubeletCgroupTree.create("dentry-guard-it");
        scratch = RealKernel.scratchDirectory("dentry-guard-offenders-");
    }

    private Path container(String qos, String podUid) throws IOException {
        return tree.container(qos, podUid);
    }

    /** Starts a command whose process joins {@code cgroup} before it execs. */
    private Process startIn(Path cgroup, String... command) throws IOException {
        return tree.startIn(cgroup, scratch.resolve("process-" + started++ + ".log"), List.of(command));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (tree != null) {
            tree.close();
        }
        RealKernel.delete(scratch);
    }

    /**
     * Runs the probe (a sample every 2 s) while the steps run one after the other, and for two
     * samples after each: the window follows the workload, however fast this machine creates files
     * (on 2026-11-29 creating 30,000 files on ext4 took 11.5 s of kernel time once, and a fixed 28 s
     * window ended before the flood that follows it did), and no sample interval holds two steps
     * (when the file creator's last files and the flood's first lookups fell into one interval, the
     * creator was rated Medium for it: offender scoring cannot split one interval between two causes).
     */
    private List<JsonNode> probeWhile(Runnable... steps) throws Exception {
        Path out = scratch.resolve("probe.jsonl");
        Process probe = new ProcessBuilder(ProbeProcess.command("probe", "--json", "--no-canary", "--no-state",
                "--interval", "2s", "--cgroup-rescan-every", "1"))
                .redirectOutput(out.toFile()).redirectError(scratch.resolve("probe.err").toFile()).start();
        tree.own(probe);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(out) && Files.readString(out).lines().count() >= 1);
        for (Runnable step : steps) {
            step.run();
            long done = Files.readString(out).lines().count();
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(out).lines().count() >= done + 2);
        }
        assertThat(probe.isAlive()).as(Files.readString(scratch.resolve("probe.err"))).isTrue();
        probe.destroy();
        assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            if (line.endsWith("}")) {
                // A sample cut short by the stop is not one.
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static String describe(List<JsonNode> samples) {
        StringBuilder b = new StringBuilder();
        for (JsonNode s : samples) {
            b.append(s.path("dentries").path("negative").asLong()).append(" negatives: ");
            for (JsonNode o : s.path("offenders")) {
                b.append(o.path("podUid").asText(o.path("cgroup").asText())).append(' ').append(o.path("confidence").asText())
                        .append(String.format(" %.2f", o.path("share").asDouble())).append(", ");
            }
            b.append('\n');
        }
        return b.toString();
    }

    private void run(Path cgroup, String... command) {
        try {
            Process p = startIn(cgroup, command);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            Path log = scratch.resolve("process-" + (started - 1) + ".log");
            assertThat(p.exitValue()).as(Files.readString(log)).isZero();
            System.out.println(String.join(" ", command) + ": " + Files.readString(log).strip());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void namesTheFloodingPodFirstWithHighConfidenceAndNotTheFileCreator() throws Exception {
        Path flooder = container("burstable", FLOOD_UID);
        Path creator = container("burstable", FILES_UID);
        Path worker = container("besteffort", WORK_UID);
        Path files = Files.createDirectories(scratch.resolve("files"));
        Path flood = scratch.resolve("flood");
        startIn(worker, "sh", "-c", "i=0; while [ $i -lt 400 ]; do ls -R /usr/share/doc > /dev/null; i=$((i+1)); done");
        List<JsonNode> samples = probeWhile(
                () -> run(creator, "sh", "-c", "cd " + files + " && seq -f f%g 1 30000 | xargs touch"),
                () -> run(flooder, Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-jar",
                        ProbeProcess.jar().toString(), "flood", "--dir", flood.toString(), "--count", "1000000"));
        String timeline = describe(samples);
        System.out.println("offenders timeline (one line per 2 s sample):\n" + timeline);

        JsonNode last = samples.get(samples.size() - 1);
        JsonNode top = last.path("offenders").get(0);
        assertThat(top.path("podUid").asText()).as(timeline).isEqualTo(FLOOD_UID);
        assertThat(top.path("confidence").asText()).isEqualTo("High");
        assertThat(top.path("kind").asText()).isEqualTo("pod");
        assertThat(top.path("containerId").asText()).isEqualTo(flooder.getFileName().toString());
        assertThat(top.path("kernelMemoryBytes").asLong()).isGreaterThan(150_000_000L);
        assertThat(top.path("cgroup").asText()).endsWith("kubepods/burstable/pod" + FLOOD_UID);
        assertThat(top.path("reason").asText()).contains("explains");
        int firstHigh = -1;
        for (int i = 0; i < samples.size(); i++) {
            JsonNode o = samples.get(i).path("offenders").path(0);
            if (FLOOD_UID.equals(o.path("podUid").asText()) && "High".equals(o.path("confidence").asText())) {
                firstHigh = i;
                break;
            }
        }
        int floodVisible = -1;
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i).path("dentries").path("negative").asLong() - samples.get(0).path("dentries").path("negative").asLong() > 300_000) {
                floodVisible = i;
                break;
            }
        }
        assertThat(floodVisible).as(timeline).isNotNegative();
        assertThat(firstHigh).as("High within three samples of the flood showing: %s", timeline).isBetween(floodVisible, floodVisible + 2);
        for (JsonNode s : samples) {
            for (JsonNode o : s.path("offenders")) {
                if (FILES_UID.equals(o.path("podUid").asText()) || WORK_UID.equals(o.path("podUid").asText())) {
                    assertThat(o.path("confidence").asText()).as(timeline).isEqualTo("Low");
                }
            }
        }
    }

    @Test
    void aFileCreatorAloneIsNotBlamed() throws Exception {
        Path creator = container("burstable", FILES_UID);
        Path files = Files.createDirectories(scratch.resolve("files"));
        List<JsonNode> samples = probeWhile(
                () -> run(creator, "sh", "-c", "cd " + files + " && seq -f f%g 1 30000 | xargs touch"));
        String timeline = describe(samples);
        System.out.println("file creator alone:\n" + timeline);
        assertThat(samples).allSatisfy(s -> assertThat(s.path("offenders"))
                .allSatisfy(o -> assertThat(o.path("confidence").asText()).as(timeline).isEqualTo("Low")));
        QuietNode.assumeQuiet(samples.subList(0, 1)); // as it was before the file creator started
        assertThat(samples).allSatisfy(s -> assertThat(s.path("verdict").asText()).isEqualTo("Healthy"));
    }
}
