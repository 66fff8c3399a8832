package io.dentryguard.demo.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** kube-apiserver and etcd from tools/kube-binaries/build.sh; skipped, saying how to build them, where they are not built. */
class RealEmbeddedApiTest extends EmbeddedApiContract {
    @Override
    EmbeddedApi start(Path workDir) {
        KubeBinaries binaries = KubeBinaries.locate();
        assumeTrue(binaries.built(), () -> "no real API server here: " + rootCause(binaries));
        return EmbeddedApi.start(ApiChoice.REAL, workDir);
    }

    private static String rootCause(KubeBinaries binaries) {
        try {
            binaries.requireBuilt();
            return "";
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    @Test
    void saysItIsTheRealServerAndItsVersion() {
        assertThat(api.description()).matches("kube-apiserver v\\d+\\.\\d+\\.\\d+ and etcd \\(real\\)");
    }

    @Test
    void autoChoosesTheRealServerWhereItIsBuilt(@org.junit.jupiter.api.io.TempDir Path workDir) {
        try (EmbeddedApi auto = EmbeddedApi.start(ApiChoice.AUTO, workDir)) {
            assertThat(auto.description()).isEqualTo(api.description());
        }
    }
}
