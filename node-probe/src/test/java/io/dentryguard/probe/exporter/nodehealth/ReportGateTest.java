package io.dentryguard.probe.exporter.nodehealth;

import static io.dentryguard.probe.exporter.nodehealth.Reports.offender;
import static io.dentryguard.probe.exporter.nodehealth.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.api.v1alpha1.OffenderStatus.Confidence;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.probe.exporter.ProbeReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReportGateTest {
    static final Instant T = Instant.parse("2026-11-29T12:00:00Z");
    static final Instant DUE = T.plusSeconds(300);
    static final ProbeReport WRITTEN = report(T, Verdict.HEALTHY, 1_000_000, 0.5, 1.0, offender("aaa", Confidence.LOW));

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("the same figures", report(T, Verdict.HEALTHY, 1_000_000, 0.5, 1.0, offender("aaa", Confidence.LOW)), null),
                Arguments.of("small moves", report(T, Verdict.HEALTHY, 1_150_000, 0.55, 1.2, offender("aaa", Confidence.LOW)), null),
                Arguments.of("another verdict", report(T, Verdict.WARNING, 1_000_000, 0.5, 1.0, offender("aaa", Confidence.LOW)),
                        "verdict Healthy -> Warning"),
                Arguments.of("another offender", report(T, Verdict.HEALTHY, 1_000_000, 0.5, 1.0, offender("bbb", Confidence.LOW)), "offenders changed"),
                Arguments.of("a sharper confidence", report(T, Verdict.HEALTHY, 1_000_000, 0.5, 1.0, offender("aaa", Confidence.MEDIUM)),
                        "offenders changed"),
                Arguments.of("no offender any more", report(T, Verdict.HEALTHY, 1_000_000, 0.5, 1.0), "offenders changed"),
                Arguments.of("chains 20% longer", report(T, Verdict.HEALTHY, 1_000_000, 0.61, 1.0, offender("aaa", Confidence.LOW)),
                        "chain length moved"),
                Arguments.of("negatives up 25%", report(T, Verdict.HEALTHY, 1_250_000, 0.5, 1.0, offender("aaa", Confidence.LOW)),
                        "negative dentries moved"),
                Arguments.of("lookups 30% slower", report(T, Verdict.HEALTHY, 1_000_000, 0.5, 1.3, offender("aaa", Confidence.LOW)),
                        "lookup ratio moved"),
                Arguments.of("the ratio becomes unknown", report(T, Verdict.HEALTHY, 1_000_000, 0.5, null, offender("aaa", Confidence.LOW)),
                        "lookup ratio moved"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void writesOnChangeOnly(String name, ProbeReport now, String expected) {
        assertThat(ReportGate.defaults().reason(Optional.of(ReportGate.Written.of(WRITTEN)), now, T.plusSeconds(5), DUE))
                .isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void writesTheFirstReportAndAtTheHeartbeat() {
        ReportGate gate = ReportGate.defaults();
        assertThat(gate.reason(Optional.empty(), WRITTEN, T, DUE)).contains("first report");
        Optional<ReportGate.Written> last = Optional.of(ReportGate.Written.of(WRITTEN));
        assertThat(gate.reason(last, WRITTEN, DUE.minusMillis(1), DUE)).isEmpty();
        assertThat(gate.reason(last, WRITTEN, DUE, DUE)).contains("heartbeat");
    }

    @Test
    void theHeartbeatIsShortenedByUpToTenPercent() {
        Duration every = Duration.ofMinutes(5);
        assertThat(ReportGate.nextHeartbeat(T, every, 0.0)).isEqualTo(T.plusSeconds(300));
        assertThat(ReportGate.nextHeartbeat(T, every, 0.5)).isEqualTo(T.plusSeconds(285));
        assertThat(ReportGate.nextHeartbeat(T, every, 0.9999)).isEqualTo(T.plusSeconds(270));
    }
}
