package io.dentryguard.probe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dentryguard.api.v1alpha1.ReclaimOutcome;
import io.dentryguard.probe.actuator.reclaim.CgroupReclaimer;
import io.dentryguard.probe.testing.ReclaimLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code dentry-guard reclaim} from the top of the command line, on file layouts written as the
 * kernel writes them; the test plays the kernel's side of each write (what it frees, the errors it
 * answers) and records what was written where.
 */
class ReclaimCommandTest {
    private static final String UID = "3f2b8c1e-7a4d-4e5f-9b6a-0c1d2e3f4a5b";
    private static final String OTHER_UID = "11111111-2222-4333-8444-555555555555";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private ReclaimLayout layout;
    private final List<String> writes = new ArrayList<>();
    /** The kernel's side of a write; by default it takes the value and frees nothing. */
    private CgroupReclaimer.ControlFileWriter kernel = (file, value) -> { };

    record Run(int exit, String out, String err) {}

    @BeforeEach
    void node() throws IOException {
        layout = ReclaimLayout.create(dir, 1_100_000);
    }

    private Run reclaim(String... args) {
        CgroupReclaimer.ControlFileWriter recording = (file, value) -> {
            writes.add(dir.relativize(file) + "=" + value);
            kernel.write(file, value);
        };
        CommandLine cli = Main.commandLine(new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == ReclaimCommand.class ? type.cast(new ReclaimCommand(recording, CLOCK)) : CommandLine.defaultFactory().create(type);
            }
        });
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> argv = new ArrayList<>(List.of("reclaim", "--proc", layout.proc().toString(),
                "--cgroup-root", layout.cgroupRoot().toString()));
        argv.addAll(List.of(args));
        return new Run(cli.execute(argv.toArray(String[]::new)), out.toString(), err.toString());
    }

    /** What a v2 kernel answers when it freed most of the pod, but not all it was asked (the process's anon memory stays). */
    private void kernelFreesMostThenAnswersEagain(Path pod) {
        kernel = (file, value) -> {
            layout.negatives(100_000);
            layout.v2Memory(pod, 2_000_000L, 60_000_000L);
            throw new IOException(CgroupReclaimer.EAGAIN);
        };
    }

    @Test
    void reclaimsThePodsV2CgroupFoundByItsUidAndIsDoneDespiteEagain() throws IOException {
        Path pod = layout.v2Pod(UID, 272_000_000L, 350_000_000L);
        kernelFreesMostThenAnswersEagain(pod);

        Run r = reclaim("--pod-uid", UID);

        assertThat(writes).containsExactly(dir.relativize(pod.resolve("memory.reclaim")) + "=350000000");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Done: memory.reclaim of kubepods.slice/kubepods-burstable.slice/")
                .contains("freed less than asked (IOException " + CgroupReclaimer.EAGAIN + ")")
                .contains("freed 1,000,000 negative dentries and 270.0 MB of kernel memory");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void jsonIsTheOutcomeAsTheStatusCarriesIt() throws Exception {
        kernelFreesMostThenAnswersEagain(layout.v2Pod(UID, 272_000_000L, 350_000_000L));

        Run r = reclaim("--pod-uid", UID, "--json");

        assertThat(r.out().lines()).hasSize(1);
        ReclaimOutcome o = new ObjectMapper().readValue(r.out(), ReclaimOutcome.class);
        assertThat(o.getResult()).isEqualTo(ReclaimOutcome.Result.DONE);
        assertThat(o.getId()).isEqualTo("manual-2026-12-01T10:00:00Z");
        assertThat(o.getFreedNegativeDentries()).isEqualTo(1_000_000L);
        assertThat(o.getFreedBytes()).isEqualTo(270_000_000L);
        assertThat(o.getFinishedAt()).isEqualTo("2026-12-01T10:00:00Z");
    }

    @Test
    void aV1PodIsEmptiedWithForceEmpty() throws IOException {
        Path memory = Files.createDirectories(layout.cgroupRoot().resolve("memory"));
        Files.writeString(memory.resolve("memory.usage_in_bytes"), "900000000\n");
        Path pod = Files.createDirectories(memory.resolve("kubepods/besteffort/pod" + UID));
        Files.writeString(memory.resolve("kubepods/memory.force_empty"), "");
        Files.writeString(pod.resolve("memory.force_empty"), "");
        Files.writeString(pod.resolve("memory.kmem.usage_in_bytes"), "210000000\n");
        kernel = (file, value) -> {
            layout.negatives(100_000);
            Files.writeString(pod.resolve("memory.kmem.usage_in_bytes"), "9000000\n");
        };

        Run r = reclaim("--pod-uid", UID);

        assertThat(writes).containsExactly(dir.relativize(pod.resolve("memory.force_empty")) + "=0");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("Done: memory.force_empty of kubepods/besteffort/pod" + UID)
                .contains("freed 1,000,000 negative dentries and 201.0 MB");
    }

    @Test
    void aWriteThatFreedNothingFailed() throws IOException {
        layout.v2Pod(UID, 272_000_000L, 350_000_000L);
        kernel = (file, value) -> {
            throw new IOException(CgroupReclaimer.EAGAIN);
        };

        Run r = reclaim("--pod-uid", UID);

        assertThat(r.exit()).isEqualTo(ReclaimCommand.FAILED);
        assertThat(r.out()).startsWith("Failed: writing memory.reclaim of kubepods.slice/").contains("freed 0 negative dentries");
    }

    @Test
    void aPodNotOnThisNodeIsRefusedWithoutAWrite() throws IOException {
        layout.v2Pod(OTHER_UID, 1_000_000L, 9_000_000L);

        Run r = reclaim("--pod-uid", UID, "--json");

        assertThat(writes).isEmpty();
        assertThat(r.exit()).isEqualTo(ReclaimCommand.REFUSED);
        assertThat(r.out()).contains("\"result\":\"Refused\"").contains("no memory cgroup of pod " + UID)
                .doesNotContain("freedNegativeDentries");
    }

    @Test
    void aPodNamedDirectoryOutsideTheKubeletHierarchyIsNotTouched() throws IOException {
        layout.v2Pod(OTHER_UID, 1_000_000L, 9_000_000L);
        Path impostor = Files.createDirectories(layout.cgroupRoot().resolve("system.slice/pod" + UID));
        layout.v2Memory(impostor, 1_000_000L, 9_000_000L);

        Run r = reclaim("--pod-uid", UID);

        assertThat(writes).isEmpty();
        assertThat(r.exit()).isEqualTo(ReclaimCommand.REFUSED);
    }

    @Test
    void noMemoryControllerIsRefusedAndSaysWhere() {
        Run r = reclaim("--pod-uid", UID);

        assertThat(r.exit()).isEqualTo(ReclaimCommand.REFUSED);
        assertThat(r.out()).startsWith("Refused: scope Pod is not available on this probe: no memory cgroup controller under "
                + layout.cgroupRoot());
    }

    @Test
    void aKernelWithoutMemoryReclaimIsRefused() throws IOException {
        layout.v2Pod(UID, 1_000_000L, 9_000_000L);
        Files.delete(layout.cgroupRoot().resolve("kubepods.slice/memory.reclaim"));

        Run r = reclaim("--pod-uid", UID);

        assertThat(writes).isEmpty();
        assertThat(r.exit()).isEqualTo(ReclaimCommand.REFUSED);
        assertThat(r.out()).contains("the kernel has no memory.reclaim").contains("5.19");
    }

    @Test
    void nodeDropsTheCachesUnderTheGivenProc() {
        kernel = (file, value) -> {
            layout.negatives(10_000);
            layout.dentrySlab(60_000);
        };

        Run r = reclaim("--node", "--json");

        assertThat(writes).containsExactly("proc/sys/vm/drop_caches=2");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("\"result\":\"Done\"").contains("\"freedNegativeDentries\":1090000");
    }

    @Test
    void nodeDropsTheCachesWhereTheHostsProcSysVmIsMounted() throws IOException {
        // In a pod nothing can be mounted under /proc: the host's /proc/sys/vm is elsewhere.
        Path hostVm = Files.createDirectories(dir.resolve("host/proc/sys/vm"));
        Files.writeString(hostVm.resolve("drop_caches"), "0\n");

        Run r = reclaim("--node", "--proc-sys-vm", hostVm.toString());

        assertThat(writes).as(r.out() + r.err()).containsExactly("host/proc/sys/vm/drop_caches=2");
        assertThat(r.exit()).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--pod-uid ../../../proc/sys/vm|--pod-uid '../../../proc/sys/vm' is not a pod UID",
        "--pod-uid 3F2B8C1E-7A4D-4E5F-9B6A-0C1D2E3F4A5B|is not a pod UID",
        "--pod-uid 3f2b8c1e-7a4d-4e5f-9b6a-0c1d2e3f4a5b/..|is not a pod UID",
        "--pod-uid 3f2b8c1e-7a4d-4e5f-9b6a-0c1d2e3f4a5b --node|mutually exclusive",
        "--json|Missing required argument",
    })
    void badInputIsRefusedInOneLineWithoutAWrite(String args, String message) throws IOException {
        layout.v2Pod(UID, 1_000_000L, 9_000_000L);

        Run r = reclaim(args.split(" "));

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("dentry-guard: ").contains(message);
        assertThat(r.out()).isEmpty();
        assertThat(writes).isEmpty();
    }
}
