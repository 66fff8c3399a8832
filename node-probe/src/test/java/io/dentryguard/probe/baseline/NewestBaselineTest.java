package io.dentryguard.probe.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dentryguard.probe.detector.LookupBaseline;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NewestBaselineTest {
    private static final Instant T = Instant.parse("2026-11-29T12:00:00Z");
    private static final LookupBaseline OLDER = LookupBaseline.first(4.0, 700, T, "6.18.44");
    private static final LookupBaseline NEWER = OLDER.with(4.2, 710, T.plusSeconds(30), 10);

    @Test
    void loadsTheNewestOfItsHomesWhicheverItIs() {
        assertThat(new NewestBaseline(List.of(new HeldBaseline("file", OLDER), new HeldBaseline("status", NEWER))).load("6.18.44"))
                .contains(NEWER);
        assertThat(new NewestBaseline(List.of(new HeldBaseline("file", NEWER), new HeldBaseline("status", OLDER))).load("6.18.44"))
                .contains(NEWER);
        assertThat(new NewestBaseline(List.of(new HeldBaseline("file", null), new HeldBaseline("status", OLDER))).load("6.18.44"))
                .contains(OLDER);
    }

    @Test
    void aBaselineOfAnotherKernelIsNone() {
        assertThat(new NewestBaseline(List.of(new HeldBaseline("file", NEWER))).load("6.19.0")).isEmpty();
        assertThat(new NewestBaseline(List.of()).load("6.18.44")).isEmpty();
    }

    @Test
    void savesToEveryHomeEvenWhenOneFailsAndNamesThatOne() {
        HeldBaseline file = new HeldBaseline("/var/lib/dentry-guard/baseline.json", null).failingWith("Read-only file system");
        HeldBaseline status = new HeldBaseline("the NodeHealth status", null);
        NewestBaseline all = new NewestBaseline(List.of(file, status));

        assertThatThrownBy(() -> all.save(NEWER)).isInstanceOf(IOException.class)
                .hasMessage("/var/lib/dentry-guard/baseline.json: Read-only file system");
        assertThat(status.saved).containsExactly(NEWER);
        assertThat(all.where()).isEqualTo("/var/lib/dentry-guard/baseline.json, the NodeHealth status");
    }
}
