package io.dentryguard.demo.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeBinariesTest {
    @TempDir
    Path checkout;

    private void goMod() throws IOException {
        Files.createDirectories(checkout.resolve("tools/kube-binaries"));
        Files.writeString(checkout.resolve(KubeBinaries.GO_MOD), """
                module x
                require (
                \tk8s.io/api v0.33.13 // indirect
                \tk8s.io/kubernetes v1.33.13
                )
                """);
    }

    @Test
    void theCheckoutIsFoundAboveTheWorkingDirectoryAndTheVersionInItsGoMod() throws IOException {
        goMod();
        Path below = Files.createDirectories(checkout.resolve("demo/target"));
        KubeBinaries binaries = KubeBinaries.locate(null, null, below);
        assertThat(binaries.version()).isEqualTo("1.33.13");
        assertThat(binaries.testDir()).isEqualTo(checkout.resolve(".cache/kube-api-test"));
        assertThat(binaries.binaryDir().toString()).endsWith(".cache/kube-api-test/k8s/1.33.13-linux-"
                + (System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64"));
    }

    @Test
    void theLaunchersHomeAndKubeBinariesDirWin() throws IOException {
        goMod();
        KubeBinaries binaries = KubeBinaries.locate(checkout.toString(), "/opt/kube", Path.of("/"));
        assertThat(binaries.testDir()).isEqualTo(Path.of("/opt/kube"));
        assertThat(binaries.version()).isEqualTo("1.33.13");
    }

    @Test
    void binariesNotBuiltAreRefusedNamingTheDirectoryAndTheBuild() throws IOException {
        goMod();
        KubeBinaries binaries = KubeBinaries.locate(checkout.toString(), null, checkout);
        assertThat(binaries.built()).isFalse();
        assertThatThrownBy(binaries::requireBuilt).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(binaries.binaryDir().toString()).hasMessageContaining("tools/kube-binaries/build.sh");
    }

    @Test
    void builtBinariesAreTaken() throws IOException {
        goMod();
        KubeBinaries binaries = KubeBinaries.locate(checkout.toString(), null, checkout);
        for (String binary : new String[] {"kube-apiserver", "etcd"}) {
            Path file = Files.createDirectories(binaries.binaryDir()).resolve(binary);
            Files.writeString(file, "#!/bin/sh\n");
            assertThat(file.toFile().setExecutable(true)).isTrue();
        }
        assertThat(binaries.requireBuilt()).isSameAs(binaries);
    }

    @Test
    void withoutACheckoutRealIsRefusedAndSaysWhy() {
        KubeBinaries binaries = KubeBinaries.locate(null, null, checkout);
        assertThat(binaries.built()).isFalse();
        assertThatThrownBy(binaries::requireBuilt).isInstanceOf(IllegalStateException.class).hasMessageContaining(KubeBinaries.GO_MOD);
    }
}
