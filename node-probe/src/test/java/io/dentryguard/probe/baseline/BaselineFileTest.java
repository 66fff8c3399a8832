package io.dentryguard.probe.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.dentryguard.probe.detector.LookupBaseline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineFileTest {
    @TempDir
    Path dir;

    private final LookupBaseline baseline = LookupBaseline.first(4.0, 700, Instant.parse("2026-11-29T12:00:00Z"), "6.18.44")
            .with(4.2, 710, Instant.parse("2026-11-29T12:00:30Z"), 10);

    @Test
    void roundTrips() throws Exception {
        BaselineFile store = new BaselineFile(dir.resolve("sub/baseline.json"));
        store.save(baseline);
        assertThat(store.load("6.18.44")).contains(baseline);
    }

    @Test
    void aBaselineFromAnotherKernelIsNotUsed() throws Exception {
        BaselineFile store = new BaselineFile(dir.resolve("baseline.json"));
        store.save(baseline);
        assertThat(store.load("6.19.0")).isEmpty();
    }

    @Test
    void nothingStoredIsEmpty() {
        assertThat(new BaselineFile(dir.resolve("baseline.json")).load("6.18.44")).isEmpty();
    }

    @Test
    void anUnreadableFileIsMovedAsideNotLost() throws Exception {
        Path file = dir.resolve("baseline.json");
        Files.writeString(file, "{\"format\":1,\"kernel\":\"6.18.44\",\"relativeCosts\":[\"x\"]");
        assertThat(new BaselineFile(file).load("6.18.44")).isEmpty();
        assertThat(file).doesNotExist();
        try (Stream<Path> s = Files.list(dir)) {
            Path aside = s.filter(p -> p.getFileName().toString().startsWith("baseline.json.unreadable-")).findFirst().orElseThrow();
            assertThat(Files.readString(aside)).contains("relativeCosts");
        }
    }

    @Test
    void nonsenseValuesAreRefused() throws Exception {
        Path file = dir.resolve("baseline.json");
        Files.writeString(file, "{\"format\":1,\"kernel\":\"6.18.44\",\"firstLearnedAt\":\"2026-11-29T12:00:00Z\","
                + "\"updatedAt\":\"2026-11-29T12:00:00Z\",\"relativeCosts\":[-1],\"nsPerLookups\":[700]}");
        assertThat(new BaselineFile(file).load("6.18.44")).isEmpty();
    }

    @Test
    void keepsTheFormatItAlwaysHad() throws Exception {
        Path file = dir.resolve("baseline.json");
        Files.writeString(file, "{\"format\":1,\"kernel\":\"6.18.44\",\"firstLearnedAt\":\"2026-11-29T12:00:00Z\","
                + "\"updatedAt\":\"2026-11-29T12:00:30Z\",\"relativeCosts\":[4.0,4.2],\"nsPerLookups\":[700.0,710.0]}");
        assertThat(new BaselineFile(file).load("6.18.44")).contains(baseline);

        new BaselineFile(file).save(baseline);
        assertThat(Files.readString(file).replaceAll("\\s", "")).isEqualTo("{\"format\":1,\"kernel\":\"6.18.44\","
                + "\"firstLearnedAt\":\"2026-11-29T12:00:00Z\",\"updatedAt\":\"2026-11-29T12:00:30Z\",\"relativeCosts\":[4.0,4.2],"
                + "\"nsPerLookups\":[700.0,710.0]}");
    }
}
