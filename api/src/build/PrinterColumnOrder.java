import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Puts the printer columns of a generated CRD back in the order they are declared on the resource
 * class. fabric8's crd-generator sorts them by JSON path (fabric8io/kubernetes-client#7454), but
 * {@code kubectl get} shows them in the CRD's order, and that order is meant for the reader. Java
 * stays the one source: reflection returns repeatable annotations in declaration order.
 *
 * <p>Run by the api build right after the generator (exec-maven-plugin, process-classes) as a
 * single-file source program, so it is not compiled into the api jar:
 * {@code java -cp CLASSPATH PrinterColumnOrder.java RESOURCE_CLASS CRD_YAML}. It fails the build
 * when the generated columns are not exactly those annotated on the class (a column declared on a
 * field with {@code @PrinterColumn} would have no place in the order).
 */
public class PrinterColumnOrder {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: PrinterColumnOrder RESOURCE_CLASS CRD_YAML");
        }
        // Annotations only: no need to initialise the class (and its logger).
        Class<?> resource = Class.forName(args[0], false, PrinterColumnOrder.class.getClassLoader());
        Path crdFile = Path.of(args[1]);
        List<String> declared = new ArrayList<>();
        for (AdditionalPrinterColumn column : resource.getAnnotationsByType(AdditionalPrinterColumn.class)) {
            declared.add(key(column.name(), column.jsonPath()));
        }

        String text = Files.readString(crdFile);
        // Keep the generator's header comment, which YAML parsing drops.
        String header = text.lines().takeWhile(l -> l.startsWith("#")).map(l -> l + "\n").collect(Collectors.joining());
        YAMLMapper yaml = new YAMLMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
        JsonNode crd = yaml.readTree(text);
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (!(version.get("additionalPrinterColumns") instanceof ArrayNode columns)) {
                continue;
            }
            Map<String, JsonNode> generated = new LinkedHashMap<>();
            columns.forEach(c -> generated.put(key(c.path("name").asText(), c.path("jsonPath").asText()), c));
            if (!generated.keySet().containsAll(declared) || generated.size() != declared.size()) {
                throw new IllegalStateException(crdFile + ", version " + version.path("name").asText()
                        + ": the generated printer columns " + generated.keySet() + " are not the ones declared with"
                        + " @AdditionalPrinterColumn on " + resource.getName() + " " + declared);
            }
            columns.removeAll();
            declared.forEach(k -> columns.add(generated.get(k)));
        }
        Files.writeString(crdFile, header + yaml.writeValueAsString(crd));
    }

    private static String key(String name, String jsonPath) {
        return name + " " + jsonPath;
    }
}
