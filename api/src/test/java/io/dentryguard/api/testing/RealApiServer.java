package io.dentryguard.api.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * A real kube-apiserver and etcd for the tests of every module, started by fabric8's kube-api-test
 * from the binaries that {@code tools/kube-binaries/build.sh} builds from their Go modules, with the
 * generated NodeHealth CRD installed and established. Its client is an administrator
 * ({@code system:masters}); {@link #tokenFor} gives a service account's real token, so that a test
 * runs a component under exactly the rights its roles grant. Every request the server answers is in
 * its audit log ({@link #requests}), so tests count writes as they did on the mock.
 *
 * <p>Where the binaries are not built (no Go on the machine), the test is skipped and says how to
 * build them; it never falls back to the mock.
 */
public final class RealApiServer implements TestApiServer {
    private static final Pattern KUBERNETES_VERSION = Pattern.compile("(?m)^\\s*k8s\\.io/kubernetes v(\\d+\\.\\d+\\.\\d+)\\b");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOT_READY = "node.kubernetes.io/not-ready";

    public final KubernetesClient client;
    private final KubeAPIServer server;
    private final Path auditLog;
    private final Path workDir;
    private final List<AuditedRequest> audited = new ArrayList<>();
    private long auditRead;

    private RealApiServer(KubeAPIServer server, Path auditLog, Path workDir) {
        this.server = server;
        this.auditLog = auditLog;
        this.workDir = workDir;
        this.client = new KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(
                Config.fromKubeconfig(server.getKubeConfigYaml())).withRequestRetryBackoffLimit(0).build()).build();
    }

    /** The checkout's root: the first directory up from here with tools/kube-binaries. */
    public static Path checkoutRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("tools/kube-binaries/go.mod"))) {
                return p;
            }
        }
        throw new IllegalStateException("no tools/kube-binaries/go.mod above " + Path.of("").toAbsolutePath());
    }

    /** The Kubernetes version the tests run, as tools/kube-binaries/go.mod pins it. */
    public static String kubernetesVersion() {
        try {
            Matcher m = KUBERNETES_VERSION.matcher(Files.readString(checkoutRoot().resolve("tools/kube-binaries/go.mod")));
            if (!m.find()) {
                throw new IllegalStateException("tools/kube-binaries/go.mod pins no k8s.io/kubernetes version");
            }
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where build.sh puts the binaries: $KUBE_BINARIES_DIR, else .cache/kube-api-test in the checkout. */
    static Path binariesDir() {
        return Optional.ofNullable(System.getenv("KUBE_BINARIES_DIR")).map(Path::of)
                .orElse(checkoutRoot().resolve(".cache/kube-api-test"));
    }

    /**
     * Starts a server; the test is skipped, with the command that builds them, where the binaries
     * are not there.
     */
    public static RealApiServer start() {
        String version = kubernetesVersion();
        Path binaries = binariesDir();
        Path dir = binaries.resolve("k8s").resolve(version + "-linux-" + (System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64"));
        assumeTrue(Files.isExecutable(dir.resolve("kube-apiserver")) && Files.isExecutable(dir.resolve("etcd")),
                "no kube-apiserver " + version + " and etcd in " + dir + ": build them with tools/kube-binaries/build.sh (needs Go)");
        try {
            Path work = Files.createTempDirectory("real-api-server");
            Path policy = work.resolve("audit-policy.yaml");
            Files.writeString(policy, """
                    apiVersion: audit.k8s.io/v1
                    kind: Policy
                    omitStages: [RequestReceived, ResponseStarted]
                    rules:
                    - level: Request
                      verbs: [create, update, patch, delete, deletecollection]
                    - level: Metadata
                    """);
            Path audit = work.resolve("audit.log");
            KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                    .withTestDir(binaries.toString()).withApiServerVersion(version).withOfflineMode(true)
                    .withStartupTimeout(120_000)
                    .withApiServerFlag("--audit-policy-file", policy.toString())
                    .withApiServerFlag("--audit-log-path", audit.toString())
                    .withApiServerFlag("--audit-log-format", "json")
                    // No rotation (100 MB by default): readers keep an offset into this one file.
                    .withApiServerFlag("--audit-log-maxsize", "100000")
                    .build());
            server.start();
            RealApiServer real = new RealApiServer(server, audit, work);
            real.installCrd();
            return real;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void installCrd() {
        try (InputStream in = NodeHealth.class.getResourceAsStream("/META-INF/fabric8/nodehealths.dentryguard.io-v1.yml")) {
            CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
                    .resource(Serialization.unmarshal(in, CustomResourceDefinition.class)).serverSideApply();
            // Established: the API server serves the new resource (a few hundred ms after the create).
            Awaitility.await("CRD " + crd.getMetadata().getName() + " established").atMost(Duration.ofSeconds(30))
                    .until(() -> client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get()
                            .getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Node create(Node node) {
        Node created = client.nodes().resource(node).create();
        List<io.fabric8.kubernetes.api.model.Taint> taints = created.getSpec() == null || created.getSpec().getTaints() == null ? List.of()
                : created.getSpec().getTaints();
        if (taints.stream().noneMatch(t -> NOT_READY.equals(t.getKey()))) {
            return created;
        }
        return client.nodes().resource(created).edit(n -> {
            n.getSpec().getTaints().removeIf(t -> NOT_READY.equals(t.getKey()));
            return n;
        });
    }

    /** The administrator's kubeconfig (client certificate, the server's CA) for a separate process or kubectl. */
    @Override
    public Path kubeconfig(Path dir) throws IOException {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, server.getKubeConfigYaml());
        return file;
    }

    /**
     * A kubeconfig that authenticates as a service account with a real token from the TokenRequest
     * API: what a pod's projected token does, so the component gets exactly the rights of its roles.
     */
    public Path kubeconfigAs(Path dir, String namespace, String serviceAccount) throws IOException {
        return kubeconfigWithToken(dir.resolve("kubeconfig-" + serviceAccount), serviceAccount, tokenFor(namespace, serviceAccount));
    }

    /**
     * A kubeconfig at {@code file} that authenticates with {@code token} alone (e.g. a
     * {@link #podBoundToken}). It holds the server's CA itself, so that it also works where only
     * this file is mounted (a container).
     */
    public Path kubeconfigWithToken(Path file, String user, String token) throws IOException {
        Config admin = client.getConfiguration();
        String ca = admin.getCaCertData() != null ? admin.getCaCertData()
                : java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(admin.getCaCertFile())));
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: real
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: %s
                  user:
                    token: %s
                contexts:
                - name: real
                  context:
                    cluster: real
                    user: %s
                current-context: real
                """.formatted(admin.getMasterUrl().replaceAll("/$", ""), ca, user, token, user));
        return file;
    }

    /** A client that authenticates as {@code namespace/serviceAccount} with a real token. */
    public KubernetesClient clientAs(String namespace, String serviceAccount) {
        return clientWithToken(tokenFor(namespace, serviceAccount));
    }

    /** A client that authenticates with {@code token} alone. */
    public KubernetesClient clientWithToken(String token) {
        return new KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
                .withClientCertData(null).withClientKeyData(null).withClientCertFile(null).withClientKeyFile(null)
                .withOauthToken(token).withRequestRetryBackoffLimit(0).build()).build();
    }

    /**
     * A token of {@code serviceAccount} bound to the pod {@code pod} of its namespace, as a pod's
     * projected token is: the server adds the pod's node to the user info of every request made with it.
     */
    public String podBoundToken(String namespace, String serviceAccount, String pod) {
        tokenFor(namespace, serviceAccount); // the namespace and the account
        String uid = client.pods().inNamespace(namespace).withName(pod).get().getMetadata().getUid();
        return client.serviceAccounts().inNamespace(namespace).withName(serviceAccount)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).withNewBoundObjectRef().withApiVersion("v1")
                        .withKind("Pod").withName(pod).withUid(uid).endBoundObjectRef().endSpec().build())
                .getStatus().getToken();
    }

    /** Creates the namespace and service account if needed and returns an hour's token for it. */
    public String tokenFor(String namespace, String serviceAccount) {
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(namespace)
                .endMetadata().build()).serverSideApply();
        client.serviceAccounts().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata().withName(serviceAccount).endMetadata().build()).serverSideApply();
        return client.serviceAccounts().inNamespace(namespace).withName(serviceAccount)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
    }

    /** What a kubectl run printed (standard output and error together) and its exit code. */
    public record KubectlRun(int exitCode, String output) {
    }

    /** Runs Debian's /usr/bin/kubectl as the administrator: how a user applies manifests and looks at the cluster. */
    public KubectlRun kubectl(String... args) {
        try {
            Path config = kubeconfig(workDir);
            List<String> command = new ArrayList<>(List.of("/usr/bin/kubectl", "--kubeconfig", config.toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not end in 120 s: " + output);
            }
            return new KubectlRun(p.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** kubectl apply of a manifest file of the checkout, e.g. {@code deploy/rbac.yaml}; fails the test if kubectl does. */
    public String apply(String checkoutPath) {
        KubectlRun run = kubectl("apply", "-f", checkoutRoot().resolve(checkoutPath).toString());
        if (run.exitCode() != 0) {
            throw new AssertionError("kubectl apply -f " + checkoutPath + " failed: " + run.output());
        }
        return run.output();
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    /** Every request the server has answered so far, oldest first, from its audit log (watches when they end). */
    @Override
    public List<ApiRequest> requests() {
        return audit().stream().map(AuditedRequest::request).toList();
    }

    /** One audit log entry: the request, who made it, and the answer's code. */
    public record AuditedRequest(ApiRequest request, String user, int code) {
    }

    /**
     * The audit log so far: every answered request with its user and code. Reads only what the server
     * appended since the last call: tests poll this, and the log of a busy class holds thousands of lines.
     */
    public synchronized List<AuditedRequest> audit() {
        try (java.nio.channels.SeekableByteChannel in = Files.newByteChannel(auditLog)) {
            if (in.size() < auditRead) {
                throw new IllegalStateException("the audit log " + auditLog + " is shorter than what was read of it: rotated?");
            }
            in.position(auditRead);
            byte[] appended = java.nio.channels.Channels.newInputStream(in).readAllBytes();
            int end = lastNewline(appended) + 1; // a line the server is still writing waits for the next call
            for (String line : new String(appended, 0, end, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    parse(JSON.readTree(line)).ifPresent(audited::add);
                }
            }
            auditRead += end;
        } catch (java.nio.file.NoSuchFileException e) {
            // Nothing answered yet.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(audited);
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static Optional<AuditedRequest> parse(JsonNode e) {
        if (!"ResponseComplete".equals(e.path("stage").asText()) && !"Panic".equals(e.path("stage").asText())) {
            return Optional.empty();
        }
        JsonNode body = e.path("requestObject");
        ApiRequest r = new ApiRequest(method(e.path("verb").asText()), e.path("requestURI").asText(), null, null,
                body.isMissingNode() ? "" : body.toString());
        return Optional.of(new AuditedRequest(r, e.path("user").path("username").asText(), e.path("responseStatus").path("code").asInt()));
    }

    private static String method(String verb) {
        return switch (verb) {
            case "get", "list", "watch" -> "GET";
            case "create" -> "POST";
            case "update" -> "PUT";
            case "patch" -> "PATCH";
            case "delete", "deletecollection" -> "DELETE";
            default -> verb.toUpperCase(java.util.Locale.ROOT);
        };
    }

    @Override
    public void close() {
        client.close();
        server.stop();
        try (var files = Files.walk(workDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is no reason to fail a test.
        }
    }
}
