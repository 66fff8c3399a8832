package io.dentryguard.demo.cluster.table;

/**
 * One column of a server-side Table ({@code meta.k8s.io/v1 TableColumnDefinition}). Priority 0 columns
 * show in {@code kubectl get}; priority 1 only with {@code -o wide}.
 */
public record Column(String name, String type, String format, int priority, String description) {

    public static final Column NAME = new Column("Name", "string", "name", 0, "Name must be unique within a namespace.");
    public static final Column AGE = new Column("Age", "string", "", 0, "Time since the object was created.");

    public static Column text(String name, String description) {
        return new Column(name, "string", "", 0, description);
    }

    public static Column wide(String name, String description) {
        return new Column(name, "string", "", 1, description);
    }
}
