package io.dentryguard.probe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dentryguard.probe.testing.RealKernel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CPU hog on every core and no flood must not move the verdict, nor push the canary's
 * contention-corrected ratio to the Warning threshold: the raw nanoseconds may jump, the ratio of
 * lstat to its interleaved control call should not.
 */
class CpuContentionIT {
    @TempDir
    Path tmp;

    @Test
    void busyCoresDoNotMoveTheVerdict() throws Exception {
        RealKernel.assumeLinux();
        Path state = tmp.resolve("state");
        String canaryDir = tmp.resolve("canary").toString();
        ProbeProcess.Outcome quiet = ProbeProcess.run(120, "probe", "--json", "--samples", "5", "--interval", "200ms",
                "--canary-every", "1", "--state-dir", state.toString(), "--canary-dir", canaryDir);
        assertThat(quiet.exitCode()).as(quiet.stderr()).isZero();
        QuietNode.assumeQuiet(quiet.jsonLines());

        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> hogs = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            Thread hog = new Thread(() -> {
                long x = 0;
                while (!stop.get()) {
                    x += System.nanoTime() % 7;
                }
                if (x == 42) {
                    System.out.print("");
                }
            }, "cpu-hog-" + i);
            hog.setDaemon(true);
            hog.start();
            hogs.add(hog);
        }
        ProbeProcess.Outcome busy;
        try {
            busy = ProbeProcess.run(180, "probe", "--json", "--samples", "20", "--interval", "1s",
                    "--canary-every", "1", "--state-dir", state.toString(), "--canary-dir", canaryDir);
        } finally {
            stop.set(true);
            for (Thread hog : hogs) {
                hog.join();
            }
        }
        assertThat(busy.exitCode()).as(busy.stderr()).isZero();
        // Busy cores make no dentries: a node whose cache stops being quiet meanwhile is a neighbour's doing.
        List<JsonNode> samples = busy.jsonLines();
        QuietNode.assumeQuiet(samples);
        DoubleSummaryStatistics ratios = new DoubleSummaryStatistics();
        DoubleSummaryStatistics raw = new DoubleSummaryStatistics();
        List<String> verdicts = new ArrayList<>();
        for (JsonNode j : samples) {
            verdicts.add(j.path("verdict").asText());
            // A missing ratio would read as 0.0 and pass the bound below without measuring anything.
            assertThat(j.path("lookup").path("ratio").isNumber()).as("baseline resumed, ratio given: %s", j).isTrue();
            ratios.accept(j.path("lookup").path("ratio").asDouble());
            raw.accept(j.path("lookup").path("nsPerLookup").asDouble());
        }
        System.out.printf("%d cores busy, 20 samples: canary ratio %.2f..%.2f (mean %.2f), raw ns/lookup %.0f..%.0f%n",
                hogs.size(), ratios.getMin(), ratios.getMax(), ratios.getAverage(), raw.getMin(), raw.getMax());
        assertThat(verdicts).hasSize(20).containsOnly("Healthy");
        assertThat(ratios.getMax()).as("the corrected ratio stays below the Warning threshold").isLessThan(1.5);
    }
}
