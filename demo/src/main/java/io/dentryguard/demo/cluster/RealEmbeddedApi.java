package io.dentryguard.demo.cluster;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real kube-apiserver and etcd, started by fabric8's kube-api-test from the binaries build.sh built (never downloaded). */
record RealEmbeddedApi(KubeAPIServer server, KubernetesClient client, Path kubeconfig, String version) implements EmbeddedApi {
    private static final int STARTUP_TIMEOUT_MS = 120_000;
    private static final long ESTABLISHED_TIMEOUT_S = 30;

    static RealEmbeddedApi start(KubeBinaries binaries, Path workDir) {
        KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(binaries.testDir().toString()).withApiServerVersion(binaries.version())
                .withOfflineMode(true).withStartupTimeout(STARTUP_TIMEOUT_MS).build());
        KubernetesClient client = null;
        try {
            // Inside the try: a kube-apiserver that never gets ready leaves etcd running unless stopped here.
            server.start();
            String yaml = server.getKubeConfigYaml();
            Files.createDirectories(workDir);
            Path kubeconfig = Files.writeString(workDir.resolve("kubeconfig"), yaml);
            client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(yaml)).build();
            installCrd(client);
            return new RealEmbeddedApi(server, client, kubeconfig, binaries.version());
        } catch (IOException e) {
            stop(server, client);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            stop(server, client);
            throw e;
        }
    }

    /** Creates the CRD and waits until it is Established: the server serves NodeHealths from then on. */
    private static void installCrd(KubernetesClient client) {
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().resource(NodeHealthCrd.load()).create();
        client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).waitUntilCondition(
                // Right after the create the status may have no conditions yet (null, not empty): CI met that once.
                c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
                        .anyMatch(cond -> cond.getType().equals("Established") && cond.getStatus().equals("True")),
                ESTABLISHED_TIMEOUT_S, TimeUnit.SECONDS);
    }

    private static void stop(KubeAPIServer server, KubernetesClient client) {
        if (client != null) {
            client.close();
        }
        try {
            server.stop();
        } catch (RuntimeException e) {
            // Stopping what did not fully start: the start's own error is the one to report.
        }
    }

    @Override
    public String description() {
        return "kube-apiserver v" + version + " and etcd (real)";
    }

    @Override
    public void close() {
        stop(server, client);
    }
}
