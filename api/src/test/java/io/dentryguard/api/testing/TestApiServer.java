package io.dentryguard.api.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** An API server for tests: the real one ({@link RealApiServer}) or fabric8's mock ({@link MockApiServer}). */
public interface TestApiServer extends AutoCloseable {
    /** An administrator's client. */
    KubernetesClient client();

    /** The requests answered so far, oldest first. */
    List<ApiRequest> requests();

    /** A Node as the kubelet registers it: a Ready condition, no taints. */
    default Node node(String name) {
        return create(MockApiServer.nodeBuilder(name).build());
    }

    /**
     * Creates {@code node} (a Ready one) with exactly the taints it names: a real server's
     * TaintNodesByCondition admission adds node.kubernetes.io/not-ready to every new Node, which the
     * node lifecycle controller takes off once it is Ready; no controller-manager runs in the tests,
     * so this does its part.
     */
    Node create(Node node);

    /** A kubeconfig file in {@code dir} with which a separate process (a jar, kubectl) reaches this server as an administrator. */
    Path kubeconfig(Path dir) throws IOException;

    /** Requests of {@code method} on exactly {@code path}. */
    default long count(String method, String path) {
        return requests().stream().filter(r -> r.method().equals(method) && r.path().equals(path)).count();
    }

    @Override
    void close();
}
