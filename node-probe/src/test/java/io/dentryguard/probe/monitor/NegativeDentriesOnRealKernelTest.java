package io.dentryguard.probe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.probe.flood.NegativeDentryFlood;
import io.dentryguard.probe.testing.RealKernel;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Makes 500,000 real negative dentries (about 100 MB of slab) and checks that the monitors see
 * them, then that removing their directory frees them.
 */
class NegativeDentriesOnRealKernelTest {
    private static final long FLOOD = 500_000;
    private final ProcFiles proc = new ProcFiles(Path.of("/proc"));
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        RealKernel.assumeLinux();
        RealKernel.assumeSlabinfoReadable();
        RealKernel.assumeCountsNegatives();
        dir = RealKernel.scratchDirectory("dentry-guard-negatives-");
    }

    @AfterEach
    void tearDown() throws Exception {
        RealKernel.delete(dir);
    }

    private DentryState dentries() throws Exception {
        KernelRelease kernel = KernelRelease.parse(proc.read(KernelRelease.SOURCE));
        return DentryState.parse(proc.read(DentryState.SOURCE), kernel);
    }

    private DentrySlab slab() throws Exception {
        return DentrySlab.parse(proc.read(DentrySlab.SOURCE));
    }

    @Test
    void seesNegativeDentriesComeAndGo() throws Exception {
        DentryState before = dentries();
        DentrySlab slabBefore = slab();
        NegativeDentryFlood.Result r = NegativeDentryFlood.lookUpMissingNames(dir, FLOOD, 1);
        DentryState during = dentries();
        DentrySlab slabDuring = slab();
        RealKernel.delete(dir);
        DentryState after = dentries();

        long made = during.negative() - before.negative();
        long freed = during.negative() - after.negative();
        long slabGrowth = slabDuring.bytes() - slabBefore.bytes();
        System.out.printf("made %,d lookups at %,.0f/s: nr_negative %,d -> %,d (+%,d, %.1f%%), dentry slab +%,d bytes"
                        + " (%.0f bytes per lookup); after removing the directory %,d (-%,d)%n",
                FLOOD, r.perSecond(), before.negative(), during.negative(), made, 100.0 * made / FLOOD,
                slabGrowth, slabGrowth / (double) FLOOD, after.negative(), freed);

        assertThat(r.existing()).isZero();
        assertThat(made).isGreaterThanOrEqualTo(FLOOD * 9 / 10);
        assertThat(during.total() - before.total()).isGreaterThanOrEqualTo(FLOOD * 9 / 10);
        assertThat(slabGrowth).as("the slab grows by about 192 bytes per dentry").isGreaterThanOrEqualTo(FLOOD * 9 / 10 * 192);
        assertThat(freed).as("removing the directory frees its negatives").isGreaterThanOrEqualTo(FLOOD * 9 / 10);
    }
}
