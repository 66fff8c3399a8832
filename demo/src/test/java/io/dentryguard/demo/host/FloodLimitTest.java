package io.dentryguard.demo.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FloodLimitTest {
    private static final FloodLimit LIMIT = new FloodLimit(2L << 30, 1L << 30);

    @Test
    void belowTheLimitAndAboveTheFloorTheFloodGoesOn() {
        assertThat(LIMIT.reached(figures((2L << 30) - 1, 8L << 30))).isEmpty();
    }

    @Test
    void theSlabAtItsLimitStopsIt() {
        assertThat(LIMIT.reached(figures(2L << 30, 8L << 30))).hasValueSatisfying(r -> assertThat(r).contains("dentry slab 2.00 GiB", "limit 2.00 GiB"));
    }

    @Test
    void freeMemoryBelowTheFloorStopsItEvenWithASmallSlab() {
        assertThat(LIMIT.reached(figures(1L << 20, (1L << 30) - 1))).hasValueSatisfying(r -> assertThat(r).contains("MemFree", "floor 1.00 GiB"));
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
