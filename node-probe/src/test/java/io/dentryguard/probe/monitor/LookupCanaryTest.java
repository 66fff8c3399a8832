package io.dentryguard.probe.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LookupCanaryTest {
    @TempDir
    Path tmp;

    private static long files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("entry-")).count();
        }
    }

    @Test
    void buildsATreeOfDistinctDeepPathsAndMeasuresIt() throws Exception {
        Path dir = tmp.resolve("canary");
        try (LookupCanary canary = LookupCanary.prepare(dir, 2000, Clock.systemUTC())) {
            assertThat(files(dir)).isEqualTo(2000);
            CanaryMeasurement m = canary.measure(2);
            assertThat(m.paths()).isEqualTo(2000);
            assertThat(m.passes()).isEqualTo(2);
            assertThat(m.lookupsPerPath()).isEqualTo(dir.getNameCount() + 3);
            assertThat(m.chunkNsPerLookup()).hasSize(200);
            assertThat(m.nsPerLookup()).isPositive();
            assertThat(m.relativeCost()).isPositive();
        }
    }

    @Test
    void reusesItsOwnTreeAndRebuildsItForAnotherSize() throws Exception {
        Path dir = tmp.resolve("canary");
        LookupCanary.prepare(dir, 100, Clock.systemUTC()).close();
        Files.writeString(dir.resolve("dir-00/sub-00/entry-000.dat"), "kept");
        LookupCanary.prepare(dir, 100, Clock.systemUTC()).close();
        assertThat(Files.readString(dir.resolve("dir-00/sub-00/entry-000.dat"))).isEqualTo("kept");
        LookupCanary.prepare(dir, 500, Clock.systemUTC()).close();
        assertThat(files(dir)).isEqualTo(500);
        assertThat(Files.size(dir.resolve("dir-00/sub-00/entry-000.dat"))).isZero();
    }

    @Test
    void refusesADirectoryItDidNotMake() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("someone-elses"));
        Files.writeString(dir.resolve("precious.txt"), "data");
        assertThatThrownBy(() -> LookupCanary.prepare(dir, 100, Clock.systemUTC()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is not empty and was not made by dentry-guard");
        LookupCanary.deleteTree(dir, true);
        assertThat(dir.resolve("precious.txt")).exists();
    }

    @Test
    void aDeletedTreeIsAnErrorNotAFigure() throws Exception {
        Path dir = tmp.resolve("canary");
        try (LookupCanary canary = LookupCanary.prepare(dir, 100, Clock.systemUTC())) {
            Files.delete(dir.resolve("dir-00/sub-00/entry-000.dat"));
            assertThatThrownBy(() -> canary.measure(1)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void deleteTreeRemovesOnlyCanaryTrees() throws Exception {
        Path dir = tmp.resolve("canary");
        LookupCanary.prepare(dir, 100, Clock.systemUTC()).close();
        LookupCanary.deleteTree(dir, true);
        assertThat(dir).doesNotExist();
    }
}
