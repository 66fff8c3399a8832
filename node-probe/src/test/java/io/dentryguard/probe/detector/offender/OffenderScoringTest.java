package io.dentryguard.probe.detector.offender;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.v1alpha1.OffenderStatus.Confidence;
import io.dentryguard.probe.monitor.DentryState;
import io.dentryguard.probe.monitor.HashBuckets;
import io.dentryguard.probe.monitor.InodeCounts;
import io.dentryguard.probe.monitor.KernelRelease;
import io.dentryguard.probe.monitor.NodeObservation;
import io.dentryguard.probe.monitor.Reading;
import io.dentryguard.probe.monitor.cgroup.CgroupIdentity;
import io.dentryguard.probe.monitor.cgroup.CgroupMemory;
import io.dentryguard.probe.monitor.cgroup.CgroupSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Scoring as a pure function: samples 5 s apart, each naming the node's and every cgroup's figures. */
class OffenderScoringTest {
    private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");
    private static final OffenderConfig CONFIG = OffenderConfig.defaults();
    static final CgroupIdentity FLOODER = pod("aaaaaaaa-0000-0000-0000-000000000001");
    static final CgroupIdentity BUILDER = pod("bbbbbbbb-0000-0000-0000-000000000002");
    static final CgroupIdentity WEB = pod("cccccccc-0000-0000-0000-000000000003");
    static final CgroupIdentity DAEMON = CgroupIdentity.host("system.slice/noisy.service");
    static final long MB = 1_000_000;

    static CgroupIdentity pod(String uid) {
        return new CgroupIdentity("kubepods/burstable/pod" + uid, CgroupIdentity.Kind.POD, uid, null, "burstable");
    }

    /** One sample: the node's negatives and inodes, and each cgroup's kernel memory. */
    record Sample(long negatives, long inodes, Map<CgroupIdentity, Long> cgroups) {}

    static Sample sample(long negatives, long inodes, Object... cgroupAndBytes) {
        Map<CgroupIdentity, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < cgroupAndBytes.length; i += 2) {
            m.put((CgroupIdentity) cgroupAndBytes[i], (Long) cgroupAndBytes[i + 1]);
        }
        return new Sample(negatives, inodes, m);
    }

    static List<Sample> concat(List<Sample> a, List<Sample> b) {
        List<Sample> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static NodeObservation observation(int i, Sample s) {
        List<CgroupMemory> cgroups = new ArrayList<>();
        s.cgroups().forEach((id, bytes) -> cgroups.add(new CgroupMemory(id, bytes)));
        return new NodeObservation(T0.plusSeconds(5L * i), "n", Reading.of(new KernelRelease("6.18.0", 6, 18)),
                Reading.of(new DentryState(s.negatives() + 100_000, s.negatives(), 45, 0, s.negatives())),
                Reading.missing("-"), Reading.missing("-"), Reading.of(new InodeCounts(s.inodes(), 0)),
                Reading.of(new HashBuckets(4_194_304, HashBuckets.Source.KERNEL_LOG, "t")), Reading.missing("-"),
                Reading.of(new CgroupSnapshot("v1", cgroups, List.of())));
    }

    static List<List<Offender>> run(List<Sample> samples) {
        OffenderState state = OffenderState.start();
        List<List<Offender>> out = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            OffenderScoring.Result r = OffenderScoring.evaluate(state, observation(i, samples.get(i)), CONFIG);
            out.add(r.offenders());
            state = r.state();
        }
        return out;
    }

    /** expected: the top offender of the last sample and its confidence, or null for nobody above Low */
    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("one pod floods while others do ordinary work", List.of(
                        sample(10_000, 50_000, FLOODER, 20 * MB, WEB, 40 * MB, DAEMON, 30 * MB),
                        sample(1_210_000, 50_010, FLOODER, 260 * MB, WEB, 41 * MB, DAEMON, 30 * MB),
                        sample(2_410_000, 50_020, FLOODER, 500 * MB, WEB, 40 * MB, DAEMON, 31 * MB)),
                        FLOODER, Confidence.HIGH),
                Arguments.of("a host daemon floods", List.of(
                        sample(10_000, 50_000, WEB, 40 * MB, DAEMON, 30 * MB),
                        sample(2_010_000, 50_000, WEB, 40 * MB, DAEMON, 430 * MB)),
                        DAEMON, Confidence.HIGH),
                Arguments.of("a build makes real files and nobody looks up missing names", List.of(
                        sample(10_000, 50_000, BUILDER, 20 * MB, WEB, 40 * MB),
                        sample(10_500, 550_000, BUILDER, 620 * MB, WEB, 40 * MB),
                        sample(10_800, 1_050_000, BUILDER, 1220 * MB, WEB, 40 * MB)),
                        null, null),
                Arguments.of("a build, then a flood: the flooder is sure, the builder not blamed", List.of(
                        sample(10_000, 50_000, FLOODER, 20 * MB, BUILDER, 20 * MB),
                        sample(10_200, 150_000, FLOODER, 20 * MB, BUILDER, 140 * MB),
                        sample(1_010_200, 150_010, FLOODER, 220 * MB, BUILDER, 140 * MB),
                        sample(2_010_200, 150_020, FLOODER, 420 * MB, BUILDER, 141 * MB)),
                        FLOODER, Confidence.HIGH),
                Arguments.of("two pods flooding alike are Medium each", List.of(
                        sample(10_000, 50_000, FLOODER, 20 * MB, WEB, 20 * MB),
                        sample(2_010_000, 50_000, FLOODER, 220 * MB, WEB, 220 * MB)),
                        FLOODER, Confidence.MEDIUM),
                Arguments.of("an idle pod that flooded while watched is still the offender", concat(List.of(
                        sample(10_000, 50_000, FLOODER, 20 * MB, WEB, 40 * MB),
                        sample(5_010_000, 50_000, FLOODER, 1020 * MB, WEB, 40 * MB)),
                        // then a minute and more of idling: the recent window shows nothing any more
                        java.util.Collections.nCopies(15, sample(5_010_000, 50_000, FLOODER, 1020 * MB, WEB, 40 * MB))),
                        FLOODER, Confidence.HIGH),
                Arguments.of("a flood from before the probe started is Medium at most", List.of(
                        sample(20_000_000, 50_000, FLOODER, 4000 * MB, WEB, 40 * MB),
                        sample(20_000_000, 50_000, FLOODER, 4000 * MB, WEB, 40 * MB)),
                        FLOODER, Confidence.MEDIUM),
                Arguments.of("freed negatives free the offender too", List.of(
                        sample(10_000, 50_000, FLOODER, 20 * MB),
                        sample(2_010_000, 50_000, FLOODER, 420 * MB),
                        sample(10_000, 50_000, FLOODER, 20 * MB)),
                        null, null),
                Arguments.of("a little noise blames nobody", List.of(
                        sample(10_000, 50_000, FLOODER, 20 * MB),
                        sample(60_000, 50_000, FLOODER, 30 * MB)),
                        null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void ranks(String name, List<Sample> samples, CgroupIdentity top, Confidence confidence) {
        List<List<Offender>> results = run(samples);
        List<Offender> last = results.get(results.size() - 1);
        if (top == null) {
            assertThat(last).as("%s", last).allSatisfy(o -> assertThat(o.confidence()).isEqualTo(Confidence.LOW));
        } else {
            assertThat(last).isNotEmpty();
            assertThat(last.get(0).cgroup()).as("%s", last).isEqualTo(top.path());
            assertThat(last.get(0).confidence()).as("%s", last.get(0).reason()).isEqualTo(confidence);
            assertThat(last.subList(1, last.size())).as("nobody else is sure").noneMatch(o -> o.confidence() == Confidence.HIGH);
        }
    }

    /** Kernel memory per negative dentry measured on a cgroup v2 kernel with names over 32 bytes (an external name each). */
    private static final long V2_BYTES_PER_DENTRY = 272;

    @Test
    void twoEqualFloodersAtTheRealPerDentryCostAreAboutHalfEachAndMedium() {
        // 1M new negatives a sample, half from each, each charged 272 bytes: by the configured 200 bytes each
        // would seem to explain 68% (High); shared by what the cgroups grew, about 50% each.
        long each = 500_000 * V2_BYTES_PER_DENTRY;
        List<List<Offender>> out = run(List.of(
                sample(10_000, 50_000, FLOODER, 20 * MB, BUILDER, 20 * MB, WEB, 40 * MB),
                sample(1_010_000, 50_000, FLOODER, 20 * MB + each, BUILDER, 20 * MB + each, WEB, 40 * MB),
                sample(2_010_000, 50_000, FLOODER, 20 * MB + 2 * each, BUILDER, 20 * MB + 2 * each, WEB, 40 * MB)));
        List<Offender> last = out.get(out.size() - 1);
        assertThat(last).extracting(Offender::cgroup).containsExactlyInAnyOrder(FLOODER.path(), BUILDER.path());
        assertThat(last).allSatisfy(o -> {
            assertThat(o.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(o.share()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));
            assertThat(o.reason()).contains("the followed cgroups grew by");
        });
    }

    @Test
    void aFlooderThatGoesOnAfterAReclaimIsHighAgainFromItsNextSamples() {
        List<Sample> samples = new ArrayList<>(List.of(
                sample(10_000, 50_000, FLOODER, 20 * MB, WEB, 40 * MB),
                sample(1_010_000, 50_000, FLOODER, 220 * MB, WEB, 40 * MB),
                sample(2_010_000, 50_000, FLOODER, 420 * MB, WEB, 40 * MB),
                // its cgroup reclaimed: node and cgroup back where they started
                sample(10_000, 50_000, FLOODER, 20 * MB, WEB, 40 * MB)));
        assertThat(run(samples).get(3)).as("freed: nobody to blame").isEmpty();
        samples.add(sample(1_010_000, 50_000, FLOODER, 220 * MB, WEB, 40 * MB));
        samples.add(sample(2_010_000, 50_000, FLOODER, 420 * MB, WEB, 40 * MB));
        List<List<Offender>> out = run(samples);
        assertThat(out.get(5)).first().satisfies(o -> {
            assertThat(o.cgroup()).isEqualTo(FLOODER.path());
            assertThat(o.confidence()).as(o.reason()).isEqualTo(Confidence.HIGH);
            assertThat(o.share()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
        });
    }

    @Test
    void oneFlooderAtTheRealPerDentryCostIsStillHigh() {
        long grown = 1_000_000 * V2_BYTES_PER_DENTRY;
        List<List<Offender>> out = run(List.of(
                sample(10_000, 50_000, FLOODER, 20 * MB, WEB, 40 * MB),
                sample(1_010_000, 50_000, FLOODER, 20 * MB + grown, WEB, 40 * MB),
                sample(2_010_000, 50_000, FLOODER, 20 * MB + 2 * grown, WEB, 40 * MB)));
        assertThat(out.get(out.size() - 1)).first().satisfies(o -> {
            assertThat(o.cgroup()).isEqualTo(FLOODER.path());
            assertThat(o.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(o.share()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
        });
    }

    @Test
    void aFlooderBesideAHeavyFileWriterIsHighAndTheWriterIsNot() {
        // Per sample: 1M negatives at 272 bytes from the flooder; 2,000 new files (dentry + 1 KB inode each) and
        // 30 MB of other kernel memory from the builder: few inodes against the flood, so the intervals are clean.
        long flood = 1_000_000 * V2_BYTES_PER_DENTRY;
        long writes = 2_000 * 1_200 + 30 * MB;
        List<List<Offender>> out = run(List.of(
                sample(10_000, 50_000, FLOODER, 20 * MB, BUILDER, 100 * MB),
                sample(1_010_000, 52_000, FLOODER, 20 * MB + flood, BUILDER, 100 * MB + writes),
                sample(2_010_000, 54_000, FLOODER, 20 * MB + 2 * flood, BUILDER, 100 * MB + 2 * writes)));
        List<Offender> last = out.get(out.size() - 1);
        assertThat(last).first().satisfies(o -> {
            assertThat(o.cgroup()).isEqualTo(FLOODER.path());
            assertThat(o.confidence()).isEqualTo(Confidence.HIGH);
        });
        assertThat(last).filteredOn(o -> o.cgroup().equals(BUILDER.path()))
                .allSatisfy(o -> assertThat(o.confidence()).isEqualTo(Confidence.LOW));
    }

    @Test
    void aCgroupThatGrewALittleIsNotBlamedForAFloodNobodyFollows() {
        // The flood is in a cgroup the probe does not follow (the root): the web pod's small growth is all the
        // followed cgroups grew, but it explains a sliver of the negatives' memory, so it stays below Medium.
        List<List<Offender>> out = run(List.of(
                sample(10_000, 50_000, WEB, 40 * MB),
                sample(1_010_000, 50_000, WEB, 45 * MB),
                sample(2_010_000, 50_000, WEB, 50 * MB)));
        assertThat(out.get(out.size() - 1)).allSatisfy(o -> assertThat(o.confidence()).isEqualTo(Confidence.LOW));
    }

    @Test
    void aFloodDuringABuildNamesBothAtMostMedium() {
        List<Offender> last = run(List.of(
                sample(10_000, 50_000, FLOODER, 20 * MB, BUILDER, 20 * MB),
                sample(1_010_000, 350_000, FLOODER, 220 * MB, BUILDER, 380 * MB))).get(1);
        // Per-cgroup bytes cannot tell 1M negative dentries from 300k new files: both are suspects, neither is sure.
        assertThat(last).extracting(Offender::cgroup).containsExactlyInAnyOrder(FLOODER.path(), BUILDER.path());
        assertThat(last).allSatisfy(o -> assertThat(o.confidence()).isEqualTo(Confidence.MEDIUM));
        // The builder's growth would explain enough for High, but it grew while the node made real files.
        assertThat(last).filteredOn(o -> o.cgroup().equals(BUILDER.path())).singleElement().extracting(Offender::reason).asString()
                .endsWith("grew while the node also made real files (inodes), so it cannot be told apart per cgroup");
    }

    @Test
    void theFloodersReasonAndFiguresQuoteTheNumbers() {
        List<Offender> last = run(List.of(
                sample(10_000, 50_000, FLOODER, 20 * MB, WEB, 40 * MB),
                sample(2_410_000, 50_020, FLOODER, 500 * MB, WEB, 40 * MB))).get(1);
        Offender o = last.get(0);
        assertThat(o.podUid()).isEqualTo("aaaaaaaa-0000-0000-0000-000000000001");
        assertThat(o.kind()).isEqualTo("pod");
        assertThat(o.kernelMemoryBytes()).isEqualTo(500 * MB);
        assertThat(o.growthBytesPerSecond()).isEqualTo(96_000_000.0);
        assertThat(o.share()).isEqualTo(1.0);
        assertThat(o.reason()).isEqualTo("kernel memory +457.8 MiB in the last 5 s explains 100% of the node's 2,400,000"
                + " new negative dentries (457.8 MiB at 200 bytes each)");
        assertThat(last.get(0).confidence()).isEqualTo(Confidence.HIGH);
        assertThat(last).extracting(Offender::cgroup).doesNotContain(WEB.path());
    }

    @Test
    void namesTheContainerThatGrewWhenContainersAreKnown() {
        CgroupIdentity container = new CgroupIdentity(FLOODER.path() + "/abcdef0123456789", CgroupIdentity.Kind.CONTAINER,
                FLOODER.podUid(), "abcdef0123456789", "burstable");
        List<Sample> samples = List.of(sample(10_000, 50_000, FLOODER, 20 * MB, container, 10 * MB),
                sample(2_010_000, 50_000, FLOODER, 420 * MB, container, 410 * MB));
        assertThat(run(samples).get(1).get(0).containerId()).isEqualTo("abcdef0123456789");
    }

    @Test
    void listsAtMostTopK() {
        Object[] many = new Object[20];
        Object[] grown = new Object[20];
        for (int i = 0; i < 10; i++) {
            CgroupIdentity p = pod(String.format("dddddddd-0000-0000-0000-%012d", i));
            many[2 * i] = p;
            many[2 * i + 1] = 20 * MB;
            grown[2 * i] = p;
            grown[2 * i + 1] = 60 * MB;
        }
        List<List<Offender>> r = run(List.of(sample(10_000, 50_000, many), sample(2_010_000, 50_000, grown)));
        assertThat(r.get(1)).hasSize(5);
        assertThat(r.get(1)).allSatisfy(o -> assertThat(o.confidence()).isEqualTo(Confidence.LOW));
    }

    @Test
    void withoutCgroupFiguresNobodyIsNamed() {
        NodeObservation o = observation(0, sample(20_000_000, 1));
        NodeObservation without = new NodeObservation(o.time(), o.node(), o.kernel(), o.dentries(), o.slab(), o.memory(),
                o.inodes(), o.hashBuckets(), o.canary(), Reading.missing("no memory cgroup controller"));
        assertThat(OffenderScoring.evaluate(OffenderState.start(), without, CONFIG).offenders()).isEmpty();
    }
}
