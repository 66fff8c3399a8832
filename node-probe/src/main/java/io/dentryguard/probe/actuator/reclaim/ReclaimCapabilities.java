package io.dentryguard.probe.actuator.reclaim;

import io.dentryguard.api.v1alpha1.ReclaimRequest.Scope;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The reclaim scopes this probe can perform, and for each one it cannot, why (the rung is off, its
 * mount is read-only, the kernel lacks the control file). Found once at start.
 */
public record ReclaimCapabilities(Map<Scope, String> missing) {
    public ReclaimCapabilities {
        missing = Map.copyOf(missing);
    }

    public static ReclaimCapabilities of(Map<Scope, String> missing) {
        return new ReclaimCapabilities(missing);
    }

    /** Every scope, for tests and for a probe told it may do anything. */
    public static ReclaimCapabilities all() {
        return new ReclaimCapabilities(Map.of());
    }

    public static ReclaimCapabilities none(String why) {
        Map<Scope, String> m = new EnumMap<>(Scope.class);
        for (Scope s : Scope.values()) {
            m.put(s, why);
        }
        return new ReclaimCapabilities(m);
    }

    public boolean allows(Scope scope) {
        return !missing.containsKey(scope);
    }

    /** Why {@code scope} cannot be performed, or null when it can. */
    public String limit(Scope scope) {
        return missing.get(scope);
    }

    /** The scopes it can perform, in declaration order: status.reclaimScopes. */
    public List<Scope> scopes() {
        List<Scope> out = new ArrayList<>();
        for (Scope s : Scope.values()) {
            if (allows(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** "Pod: why; Node: why" for the scopes missing, null when none is: status.reclaimLimits. */
    public String limits() {
        List<String> parts = new ArrayList<>();
        for (Scope s : Scope.values()) {
            if (!allows(s)) {
                parts.add(s.displayName() + ": " + missing.get(s));
            }
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    /** The one start-up log line. */
    public String describe() {
        List<String> can = scopes().stream().map(Scope::displayName).toList();
        String limits = limits();
        return "reclaim: can perform " + (can.isEmpty() ? "no scope" : "scope " + String.join(", ", can))
                + (limits == null ? "" : "; not " + limits);
    }
}
