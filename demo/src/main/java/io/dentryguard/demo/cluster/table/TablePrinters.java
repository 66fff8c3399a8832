package io.dentryguard.demo.cluster.table;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The printer for each resource ({@code group/plural}, core group ""): built-in kinds, then custom resources from their CRDs, else NAME/AGE. */
public final class TablePrinters {
    private final Map<String, TablePrinter> byResource = new HashMap<>();
    private final TablePrinter fallback = new NameAgeTablePrinter();

    public TablePrinters() {
        byResource.put(key("", "nodes"), new NodeTablePrinter());
        byResource.put(key("", "pods"), new PodTablePrinter());
        byResource.put(key("", "events"), new EventTablePrinter());
    }

    /** Prints {@code crd}'s resources (of its first served version: ours has one) with its printer columns. */
    public TablePrinters withCustomResource(CustomResourceDefinition crd) {
        List<CustomResourceDefinitionVersion> versions = crd.getSpec().getVersions();
        CustomResourceDefinitionVersion served = versions.stream().filter(v -> Boolean.TRUE.equals(v.getServed())).findFirst()
                .orElse(versions.get(0));
        byResource.put(key(crd.getSpec().getGroup(), crd.getSpec().getNames().getPlural()),
                new PrinterColumnsTablePrinter(served.getAdditionalPrinterColumns()));
        return this;
    }

    public TablePrinter forResource(String group, String plural) {
        return byResource.getOrDefault(key(group, plural), fallback);
    }

    private static String key(String group, String plural) {
        return group + "/" + plural;
    }
}
