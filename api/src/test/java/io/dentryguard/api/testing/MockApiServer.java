package io.dentryguard.api.testing;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * fabric8's mock API server for the tests of every module: a CRUD store with the generated
 * NodeHealth CRD installed (so the status subresource works), where registered expectations (a
 * failure, an answer the mock cannot give) answer first, and where every request is recorded so
 * that tests can count writes.
 */
public final class MockApiServer implements TestApiServer {
    /** Kept, so the level set on it is not lost to garbage collection. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

    static {
        // One INFO line per request: thousands of lines per test, and most of the mock's time at scale.
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    public final List<ApiRequest> requests = new CopyOnWriteArrayList<>();
    public final KubernetesMockServer server;
    public final KubernetesClient client;

    public MockApiServer() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMixedDispatcher dispatcher = new KubernetesMixedDispatcher(responses) {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                requests.add(new ApiRequest(r.getMethod(), r.getPath(), r.getHeader("Content-Type"), r.getHeader("Accept"),
                        r.getBody() == null ? "" : new String(r.getBody().getBytes(), StandardCharsets.UTF_8)));
                return super.dispatch(r);
            }
        };
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, dispatcher, false);
        server.init();
        client = server.createClient(b -> b.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig());
        try (InputStream in = NodeHealth.class.getResourceAsStream("/META-INF/fabric8/nodehealths.dentryguard.io-v1.yml")) {
            client.apiextensions().v1().customResourceDefinitions()
                    .resource(Serialization.unmarshal(in, CustomResourceDefinition.class)).create();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Node as the kubelet registers it: a Ready condition, no taints. */
    public static NodeBuilder nodeBuilder(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
                .endStatus();
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public List<ApiRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public Node create(Node node) {
        return client.nodes().resource(node).create();
    }

    /** A kubeconfig that points a separate process (the probe jar, kubectl) at this server. */
    @Override
    public Path kubeconfig(Path dir) throws IOException {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                users:
                - name: test
                  user:
                    token: test-token
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: test
                current-context: mock
                """.formatted(client.getMasterUrl().toString().replaceAll("/$", "")));
        return file;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
