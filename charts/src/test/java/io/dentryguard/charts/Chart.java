package io.dentryguard.charts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.dentryguard.api.testing.RealApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * charts/dentry-guard, rendered by Helm (helm-java: Helm v3.21 as a native library) the way the
 * tests and tools/sync-chart.sh need it.
 */
final class Chart {
    /** The release deploy/ is rendered as, and the names the other modules' tests assume. */
    static final String RELEASE = "dentry-guard";
    static final String NAMESPACE = "dentry-guard";
    static final String PROBE_ACCOUNT = "dentry-guard-probe";
    static final String OPERATOR_ACCOUNT = "dentry-guard-operator";
    /** Every optional feature and every remediation rung on (src/test/resources). */
    static final String ALL_ON = "all-on.yaml";

    private static final Pattern SOURCE = Pattern.compile("(?m)^# Source: dentry-guard/(\\S+)$");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Chart() {
    }

    static Path dir() {
        return RealApiServer.checkoutRoot().resolve("charts/dentry-guard");
    }

    /** A values file of src/test/resources, by name. */
    static Path testValues(String name) {
        return RealApiServer.checkoutRoot().resolve("charts/src/test/resources").resolve(name);
    }

    /**
     * helm template as release dentry-guard in namespace dentry-guard, for the Kubernetes version of the
     * tests (Helm's client-only default, v1.20, is below the chart's kubeVersion).
     */
    static TemplateCommand template() {
        return new Helm(dir()).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(RealApiServer.kubernetesVersion());
    }

    static String renderDefaults() {
        return template().call();
    }

    static String renderAllOn() {
        return template().withValuesFile(testValues(ALL_ON)).call();
    }

    /** The rendered documents of each template, by its path in the chart (templates/rbac-probe.yaml), in Helm's order. */
    static Map<String, String> bySource(String rendered) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = SOURCE.matcher(rendered);
        int start = -1;
        String source = null;
        while (m.find()) {
            if (source != null) {
                out.merge(source, documentStartingAt(rendered, start, m.start()), String::concat);
            }
            source = m.group(1);
            start = m.start();
        }
        if (source != null) {
            out.merge(source, documentStartingAt(rendered, start, rendered.length()), String::concat);
        }
        return out;
    }

    /** One "---" document: from its "# Source:" line to the next document's "---" separator. */
    private static String documentStartingAt(String rendered, int from, int to) {
        String doc = rendered.substring(from, to);
        doc = doc.endsWith("---\n") ? doc.substring(0, doc.length() - 4) : doc;
        return "---\n" + doc;
    }

    /** The chart's values.yaml with {@code overrides} merged in (maps deeply, everything else replaced). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> valuesWith(Path overrides) {
        try {
            Map<String, Object> values = YAML.readValue(dir().resolve("values.yaml").toFile(), Map.class);
            deepMerge(values, YAML.readValue(overrides.toFile(), Map.class));
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void deepMerge(Map<String, Object> into, Map<String, Object> from) {
        from.forEach((key, value) -> {
            if (value instanceof Map<?, ?> m && into.get(key) instanceof Map<?, ?> existing) {
                deepMerge((Map<String, Object>) existing, (Map<String, Object>) m);
            } else {
                into.put(key, value);
            }
        });
    }

    /** A copy of the chart in {@code dir} whose values.yaml is {@code values}: how lint sees other values. */
    static Path copyWithValues(Path dir, Map<String, Object> values) throws IOException {
        Path copy = dir.resolve("dentry-guard");
        try (var files = Files.walk(dir())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(dir().relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        YAML.writeValue(copy.resolve("values.yaml").toFile(), values);
        return copy;
    }
}
