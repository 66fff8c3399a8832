package io.dentryguard.probe.actuator.reclaim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dentryguard.api.v1alpha1.ReclaimOutcome;
import io.dentryguard.probe.testing.CgroupV2Vm;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe's v2 reclaim on a real cgroup v2 kernel (Linux 6.1 booted under qemu by
 * tools/cgroup-v2-vm; this host's memory controller is v1): in the guest, the packaged jar floods
 * a kubelet-style pod's container with negative dentries and {@code dentry-guard reclaim --pod-uid}
 * reclaims the pod, once with the flooder alive (systemd driver's layout) and once after it exited
 * (cgroupfs driver's). The guest's side is the test resource cgroup-v2-vm/reclaim-on-v2.sh; it
 * prints its figures on the console, read here. One boot serves both cases.
 */
class ReclaimOnRealV2KernelIT {
    private static final long FLOOD = 300_000;
    private static final long NEIGHBOUR_FILES = 10_000;
    /** A dentry object's size: each negative freed frees at least this (272 bytes with its 32-character name). */
    private static final long DENTRY_BYTES = 192;
    private static final Pattern REPORT = Pattern.compile("^DG-V2 (\\S+) (\\w+) (\\w+) ?(.*)$");
    private static final Pattern FIGURE = Pattern.compile("([a-z-]+)=(\\S+)");

    /** What the guest printed for one case, by kind of line (pod, flood, outcome, figures), the pod's and figures' NAME=VALUE pairs in one map. */
    record Case(Map<String, String> lines, Map<String, String> figures, ReclaimOutcome outcome) {
        long figure(String name) {
            assertThat(figures).as("figures of the case").containsKey(name);
            return Long.parseLong(figures.get(name));
        }

        long made() {
            return figure("negatives-after-flood") - figure("negatives-before-flood");
        }

        long freed() {
            return figure("negatives-after-flood") - figure("negatives-after-reclaim");
        }
    }

    private static Map<String, Case> cases;
    private static Path console;

    @BeforeAll
    static void floodAndReclaimInTheGuest(@TempDir Path dir) throws Exception {
        CgroupV2Vm.assumeReady();
        String jar = System.getProperty("probe.jar");
        assumeTrue(jar != null && new File(jar).isFile(), "probe.jar not set or missing: run through mvn verify");
        Path share = Files.createDirectories(dir.resolve("share"));
        Files.copy(Path.of(jar), share.resolve("probe.jar"));
        try (InputStream guestSide = ReclaimOnRealV2KernelIT.class.getResourceAsStream("/cgroup-v2-vm/reclaim-on-v2.sh")) {
            Files.copy(guestSide, share.resolve("run.sh"));
        }
        Files.writeString(share.resolve("params"), "FLOOD_COUNT=" + FLOOD + "\nNEIGHBOUR_FILES=" + NEIGHBOUR_FILES + "\n");
        console = dir.resolve("console.log");

        List<String> lines = CgroupV2Vm.run(share, console, Duration.ofMinutes(20));

        lines.stream().filter(l -> l.startsWith("DG-V2 ")).forEach(System.out::println);
        assertThat(lines).as("the guest's side ran to its end; console:%n%s", CgroupV2Vm.tail(console))
                .anyMatch(l -> REPORT.matcher(l).matches() && l.endsWith(" all done"));
        cases = parse(lines);
    }

    /** "DG-V2 <uptime> <case> <kind> <rest>" lines into cases; any other line (the kernel's) is passed over. */
    private static Map<String, Case> parse(List<String> lines) throws IOException {
        Map<String, Map<String, String>> byCase = new HashMap<>();
        for (String line : lines) {
            Matcher m = REPORT.matcher(line);
            if (m.matches()) {
                byCase.computeIfAbsent(m.group(2), c -> new HashMap<>()).put(m.group(3), m.group(4));
            }
        }
        Map<String, Case> parsed = new HashMap<>();
        for (var e : byCase.entrySet()) {
            Map<String, String> figures = new HashMap<>();
            Matcher f = FIGURE.matcher(e.getValue().getOrDefault("pod", "") + " " + e.getValue().getOrDefault("figures", ""));
            while (f.find()) {
                figures.put(f.group(1), f.group(2));
            }
            String outcome = e.getValue().get("outcome");
            parsed.put(e.getKey(), new Case(e.getValue(), figures,
                    outcome == null || outcome.isBlank() ? null : new ObjectMapper().readValue(outcome, ReclaimOutcome.class)));
        }
        return parsed;
    }

    /** The case's outcome: Done, the pod it names, and at least 90% of the flood's negatives freed, by the node's count and by the outcome's. */
    private static Case reclaimedNinetyPercent(String name) throws IOException {
        Case c = cases.get(name);
        assertThat(c).as("case %s on the console:%n%s", name, CgroupV2Vm.tail(console)).isNotNull();
        assertThat(c.outcome()).as("the reclaim's JSON (stderr: %s)", c.lines().get("stderr")).isNotNull();
        assertThat(c.made()).as("the flood made most of its %,d negatives", FLOOD).isGreaterThan(FLOOD * 8 / 10);
        assertThat(c.outcome().getResult()).as(c.outcome().getMessage()).isEqualTo(ReclaimOutcome.Result.DONE);
        assertThat(c.figure("reclaim-exit")).as("dentry-guard reclaim's exit status on Done").isZero();
        assertThat(c.outcome().getMessage()).as("the pod found by its UID").contains(c.figures().get("cgroup") + ":");
        assertThat(c.freed()).as("at least 90%% of the %,d negatives it made, by nr_negative", c.made()).isGreaterThanOrEqualTo(c.made() * 9 / 10);
        assertThat(c.outcome().getFreedNegativeDentries()).as("the outcome's count").isGreaterThanOrEqualTo(c.made() * 9 / 10);
        assertThat(c.outcome().getFreedBytes()).as("the pod's slab freed").isGreaterThanOrEqualTo(c.made() * 9 / 10 * DENTRY_BYTES);
        assertThat(c.figure("neighbour-slab-after")).as("the neighbour's slab").isEqualTo(c.figure("neighbour-slab-before"));
        assertThat(c.figure("neighbour-files")).as("the neighbour's files").isEqualTo(NEIGHBOUR_FILES);
        return c;
    }

    @Test
    void freesTheNegativesOfAPodWhoseFlooderIsStillRunningAndIsDoneDespiteEagain() throws IOException {
        Case live = reclaimedNinetyPercent("live");
        // A live JVM's heap cannot be reclaimed without swap, so the kernel freed less than the
        // memory.current asked for and answered EAGAIN: the figures make it Done.
        assertThat(live.outcome().getMessage()).contains("freed less than asked").contains("EAGAIN");
        assertThat(live.figures().get("flooder-alive")).as("the flooding process survives, still in its cgroup").isEqualTo("yes");
    }

    @Test
    void freesTheNegativesOfAPodWhoseProcessHasExited() throws IOException {
        Case exited = reclaimedNinetyPercent("exited");
        assertThat(exited.figures().get("flooder-alive")).isEqualTo("no");
    }
}
