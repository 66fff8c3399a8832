package io.dentryguard.demo.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostChecksTest {
    @TempDir
    Path dir;

    @Test
    void aSuitableHostHasNoProblems() throws IOException {
        assertThat(checks("Linux", 0, Set.of("podman", "runc"), true, "6.1.0-18-amd64").problems()).isEmpty();
    }

    @Test
    void notLinuxIsTheOnlyProblemSaid() throws IOException {
        assertThat(checks("Mac OS X", 501, Set.of(), false, "6.1.0").problems()).singleElement().asString().contains("needs Linux", "Mac OS X");
    }

    @Test
    void eachMissingPieceIsSaidWithWhatToDo() throws IOException {
        assertThat(checks("Linux", 1000, Set.of(), false, "4.19.0").problems())
                .anySatisfy(p -> assertThat(p).contains("needs root", "sudo"))
                .anySatisfy(p -> assertThat(p).contains("podman is missing", "apt-get install podman runc uidmap"))
                .anySatisfy(p -> assertThat(p).contains("runc is missing"))
                .anySatisfy(p -> assertThat(p).contains("cgroup v1 memory controller"))
                .anySatisfy(p -> assertThat(p).contains("does not count negative dentries", "5.0"))
                .hasSize(5);
    }

    private HostChecks checks(String os, int uid, Set<String> tools, boolean memoryController, String release) throws IOException {
        Path status = Files.writeString(dir.resolve("status"), "Name:\tjava\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\n");
        Path memory = Files.createDirectories(dir.resolve("memory"));
        if (memoryController) {
            Files.writeString(memory.resolve("memory.kmem.usage_in_bytes"), "0\n");
        }
        Path osRelease = Files.writeString(dir.resolve("osrelease"), release + "\n");
        return new HostChecks(os, t -> tools.contains(t) ? Optional.of(Path.of("/usr/bin", t)) : Optional.empty(), status, memory, osRelease);
    }
}
