package io.dentryguard.charts;

import io.dentryguard.api.testing.RealApiServer;
import io.dentryguard.api.v1alpha1.NodeHealth;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the checkout must hold that is made, never written by hand: the chart's CRD (the api module's
 * generated one), and deploy/ (the chart rendered). {@code tools/sync-chart.sh} runs {@link #main} to
 * write them; {@link ChartInSyncTest} fails when they differ, naming that command.
 */
public final class ChartSync {
    static final String COMMAND = "tools/sync-chart.sh";
    static final String GENERATED_CRD = "/META-INF/fabric8/nodehealths.dentryguard.io-v1.yml";
    static final String CHART_CRD = "charts/dentry-guard/crds/nodehealths.dentryguard.io-v1.yml";

    private ChartSync() {
    }

    /** Each made file, by its path in the checkout, with the content it must have. */
    static Map<String, String> expectedFiles() {
        String crd = generatedCrd();
        String defaults = Chart.renderDefaults();
        Map<String, String> defaultTemplates = Chart.bySource(defaults);
        // RBAC as the other modules' tests try it: with every rung's rights (pods/eviction with remediation.evict)
        Map<String, String> everyRungTemplates = Chart.bySource(Chart.template().set("remediation.reclaimPods", true)
                .set("remediation.evict", true).set("remediation.reclaimNode", true).call());
        Map<String, String> files = new LinkedHashMap<>();
        files.put(CHART_CRD, crd);
        files.put("deploy/crd.yaml", crd);
        files.put("deploy/dentry-guard.yaml", header("the chart with its default values (apply deploy/crd.yaml first)") + NAMESPACE + defaults);
        files.put("deploy/rbac.yaml", header("""
                the service accounts and roles of the chart, with remediation.evict on (its one extra
                # right, pods/eviction): each component's least privilege, which the real-API-server tests of the other
                # modules apply and try as each service account (RbacOnRealServerIT, OperatorProcessIT, ClusterModeIT)""")
                + NAMESPACE + pick(everyRungTemplates, "templates/serviceaccounts.yaml", "templates/rbac-probe.yaml", "templates/rbac-operator.yaml"));
        files.put("deploy/admission-policy.yaml", header("""
                the chart's admission policy: a probe writes only its own node's NodeHealth status
                # (ProbeAdmissionOnRealServerIT, ReclaimInContainersIT)""") + pick(defaultTemplates, "templates/admission-policy.yaml"));
        return files;
    }

    private static final String NAMESPACE = """
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: %s
            """.formatted(Chart.NAMESPACE);

    private static String header(String what) {
        return "# Made by " + COMMAND + " from charts/dentry-guard (release " + Chart.RELEASE + ", namespace " + Chart.NAMESPACE
                + "); do not edit.\n# It holds " + what + ".\n";
    }

    private static String pick(Map<String, String> bySource, String... sources) {
        StringBuilder out = new StringBuilder();
        for (String source : List.of(sources)) {
            String docs = bySource.get(source);
            if (docs == null) {
                throw new IllegalStateException("the chart rendered nothing from " + source + "; it rendered " + bySource.keySet());
            }
            out.append(docs);
        }
        return out.toString();
    }

    static String generatedCrd() {
        try (InputStream in = NodeHealth.class.getResourceAsStream(GENERATED_CRD)) {
            if (in == null) {
                throw new IllegalStateException(GENERATED_CRD + " is not on the classpath: build the api module (mvn -pl api,charts ...)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws IOException {
        Path root = RealApiServer.checkoutRoot();
        for (Map.Entry<String, String> file : expectedFiles().entrySet()) {
            Path path = root.resolve(file.getKey());
            boolean same = Files.isRegularFile(path) && Files.readString(path).equals(file.getValue());
            if (!same) {
                Files.writeString(path, file.getValue());
            }
            System.out.println((same ? "unchanged " : "written   ") + file.getKey());
        }
    }
}
