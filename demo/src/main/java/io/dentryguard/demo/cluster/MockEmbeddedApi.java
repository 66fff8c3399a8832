package io.dentryguard.demo.cluster;

import io.dentryguard.demo.cluster.mock.MockApiDispatcher;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/** fabric8's mock server in CRUD mode, in this process, behind {@link MockApiDispatcher} so that kubectl works with it. */
record MockEmbeddedApi(KubernetesMockServer server, KubernetesClient client, Path kubeconfig) implements EmbeddedApi {
    /** Kept, so that the level set on it is not lost to garbage collection. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

    static MockEmbeddedApi start(Path workDir) {
        // One INFO line per request otherwise: the demo's own output would drown in them.
        MOCK_LOG.setLevel(Level.WARNING);
        CustomResourceDefinition crd = NodeHealthCrd.load();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new MockApiDispatcher(Clock.systemUTC()).withCustomResource(crd), false);
        server.init();
        KubernetesClient client = server.createClient();
        try {
            // The store serves the CRD's resources (and their status subresource) as soon as it holds the CRD.
            client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
            return new MockEmbeddedApi(server, client, writeKubeconfig(workDir, client.getMasterUrl().toString()));
        } catch (RuntimeException e) {
            client.close();
            server.destroy();
            throw e;
        }
    }

    /** With a token: kubectl asks for a user name and password otherwise; the mock accepts anything. */
    private static Path writeKubeconfig(Path workDir, String url) {
        Path file = workDir.resolve("kubeconfig");
        try {
            Files.createDirectories(workDir);
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: demo
                      cluster:
                        server: %s
                    users:
                    - name: admin
                      user:
                        token: demo
                    contexts:
                    - name: demo
                      context:
                        cluster: demo
                        user: admin
                        namespace: default
                    current-context: demo
                    """.formatted(url.replaceAll("/+$", "")));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String description() {
        return "fabric8 mock server, CRUD mode (in process)";
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
