package io.dentryguard.demo.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/**
 * An API server the demo starts for itself, with the NodeHealth CRD installed and served, and a
 * kubeconfig file that kubectl and the probe and operator processes use.
 */
public interface EmbeddedApi extends AutoCloseable {

    /** A client with every right (the administrator). */
    KubernetesClient client();

    /** The administrator's kubeconfig, a file in the work directory given at start. */
    Path kubeconfig();

    /** Which server this is, for people: "fabric8 mock server, CRUD mode (in process)". */
    String description();

    /** Stops the server; the kubeconfig stays. */
    @Override
    void close();

    /**
     * Starts the server {@code choice} names. AUTO is the real one when its binaries are built, else
     * the mock; REAL without them fails with an {@link IllegalStateException} that says where they
     * were looked for and how to build them.
     */
    static EmbeddedApi start(ApiChoice choice, Path workDir) {
        return switch (choice) {
            case MOCK -> MockEmbeddedApi.start(workDir);
            case REAL -> RealEmbeddedApi.start(KubeBinaries.locate().requireBuilt(), workDir);
            case AUTO -> {
                KubeBinaries binaries = KubeBinaries.locate();
                yield binaries.built() ? RealEmbeddedApi.start(binaries, workDir) : MockEmbeddedApi.start(workDir);
            }
        };
    }
}
