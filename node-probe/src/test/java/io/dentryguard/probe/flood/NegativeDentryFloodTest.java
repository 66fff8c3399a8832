package io.dentryguard.probe.flood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NegativeDentryFloodTest {
    @TempDir
    Path dir;

    @Test
    void aPacedFloodCannotFinishBeforeItsRateAllows() throws Exception {
        // 20,000 names at 10,000/s on 2 threads: each thread's last pace check is at its 9,000th name,
        // due 1.8 s after the start, however fast the machine (a lower bound only: a slow one takes longer).
        NegativeDentryFlood.Result r = NegativeDentryFlood.lookUpMissingNames(dir.resolve("flood"), 20_000, 2, 10_000);

        assertThat(r.lookups()).isEqualTo(20_000);
        assertThat(r.existing()).isZero();
        assertThat(r.elapsedNanos()).isGreaterThanOrEqualTo(1_800_000_000L);
    }

    @Test
    void aNegativeRateIsRefused() {
        assertThatThrownBy(() -> NegativeDentryFlood.lookUpMissingNames(dir, 10, 1, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rate");
    }
}
