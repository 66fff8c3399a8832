package io.dentryguard.demo.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FloodLimitTest {
    private static final FloodLimit LIMIT = new FloodLimit(2L << 30, 1L << 30);

    private static final long BEFORE = 300L << 20;

    @Test
    void belowTheLimitAndAboveTheFloorTheFloodGoesOn() {
        assertThat(LIMIT.reached(figures(BEFORE + (2L << 30) - 1, 8L << 30), BEFORE)).isEmpty();
    }

    @Test
    void theSlabGrownByItsLimitStopsItWhatTheHostHeldBeforeIsNotCounted() {
        assertThat(LIMIT.reached(figures(BEFORE + (2L << 30), 8L << 30), BEFORE))
                .hasValueSatisfying(r -> assertThat(r).contains("grew by 2.00 GiB", "limit 2.00 GiB"));
    }

    @Test
    void freeMemoryBelowTheFloorStopsItEvenWithASmallSlab() {
        assertThat(LIMIT.reached(figures(BEFORE, (1L << 30) - 1), BEFORE)).hasValueSatisfying(r -> assertThat(r).contains("MemFree", "floor 1.00 GiB"));
    }

    @Test
    void aHostWithoutRoomForTheFloodAboveTheFloorIsToldSoBeforeItStarts() {
        assertThat(LIMIT.noRoom(figures(BEFORE, 3L << 30))).isEmpty();
        assertThat(LIMIT.noRoom(figures(BEFORE, (3L << 30) - 1))).hasValueSatisfying(r -> assertThat(r).contains("--flood-limit", "--mem-free-floor"));
    }

    @Test
    void theLimitInDentries() {
        assertThat(LIMIT.limitDentries(192)).isEqualTo(11_184_810);
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> new FloodLimit(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FloodLimit(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static HostDentries.Figures figures(long slabBytes, long memFree) {
        return new HostDentries.Figures(1_000, 500, slabBytes, 192, memFree);
    }
}
