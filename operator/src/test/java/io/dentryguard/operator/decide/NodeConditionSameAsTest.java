package io.dentryguard.operator.decide;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When the operator's Node condition as read back counts as the one it wrote. */
class NodeConditionSameAsTest {
    private static final Instant T = Instant.parse("2026-11-30T08:46:27Z");

    @Test
    void anEmptyMessageReadsBackAsNoneAndIsTheSame() {
        // A real API server stores message "" as no field (omitempty); a condition that then differed was rewritten forever.
        assertThat(new Situation.NodeCondition("False", "DentryCacheHealthy", "", T)
                .sameAs(new Situation.NodeCondition("False", "DentryCacheHealthy", null, T))).isTrue();
        assertThat(new Situation.NodeCondition("False", "DentryCacheHealthy", null, T)
                .sameAs(new Situation.NodeCondition("False", "DentryCacheHealthy", "", T))).isTrue();
    }

    @Test
    void anyRealDifferenceIsOne() {
        Situation.NodeCondition c = new Situation.NodeCondition("True", "DentryCacheDegraded", "average hash chain 4.800", T);
        assertThat(c.sameAs(c)).isTrue();
        assertThat(c.sameAs(null)).isFalse();
        assertThat(c.sameAs(new Situation.NodeCondition("False", "DentryCacheDegraded", "average hash chain 4.800", T))).isFalse();
        assertThat(c.sameAs(new Situation.NodeCondition("True", "DentryCacheCritical", "average hash chain 4.800", T))).isFalse();
        assertThat(c.sameAs(new Situation.NodeCondition("True", "DentryCacheDegraded", "", T))).isFalse();
        assertThat(c.sameAs(new Situation.NodeCondition("True", "DentryCacheDegraded", "average hash chain 4.800", T.plusSeconds(1))))
                .isFalse();
    }
}
