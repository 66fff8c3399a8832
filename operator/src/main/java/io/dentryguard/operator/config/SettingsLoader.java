package io.dentryguard.operator.config;

import io.dentryguard.api.config.Durations;
import io.dentryguard.api.config.PropertiesFile;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.operator.decide.Policy;
import io.dentryguard.operator.decide.TaintEffect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import io.dentryguard.api.v1alpha1.OffenderStatus;
import io.dentryguard.operator.decide.remediation.LadderTimings;
import io.dentryguard.operator.decide.remediation.RemediationPolicy;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the operator's settings from a properties file (mounted from a ConfigMap), then from
 * environment variables {@code DENTRYGUARD_<KEY>} (the key upper-cased, '.' and '-' as '_'), then
 * from command-line flags {@code --<key>} ('.' as '-'); each wins over the ones before. Every setting
 * has all three spellings. Every problem is one line naming the key and where it came from; nothing
 * is defaulted over a bad value.
 */
public final class SettingsLoader {
    static final String ENV_PREFIX = "DENTRYGUARD_";

    /** The keys and their defaults, in the order the docs list them. */
    static final Map<String, String> DEFAULTS = defaults();

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> origins = new LinkedHashMap<>();

    private SettingsLoader() {}

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("dry-run", "false");
        d.put("taint.warning", "none");
        d.put("taint.degraded", "NoSchedule");
        d.put("taint.critical", "NoSchedule");
        d.put("hold-down", "5m");
        d.put("heartbeat", "5m");
        d.put("stale-after-heartbeats", "3");
        d.put("stale-taint", "keep");
        d.put("max-tainted-fraction", "0.2");
        d.put("min-tainted-nodes", "1");
        d.put("resync", "60s");
        d.put("event-namespace", "default");
        d.put("leader-election", "auto");
        d.put("lease-name", "dentry-guard-operator");
        d.put("lease-namespace", "");
        d.put("metrics-address", "0.0.0.0");
        d.put("metrics-port", "8080");
        // The remediation ladder (docs/remediation.md).
        d.put("remediation.reclaim-pods", "true");
        d.put("remediation.evict", "true");
        d.put("remediation.reclaim-node", "false");
        d.put("remediation.reclaim-from", "Warning");
        d.put("remediation.min-confidence", "High");
        d.put("remediation.excluded-namespaces", "kube-system");
        d.put("remediation.protected-priority", String.valueOf(RemediationPolicy.SYSTEM_CLUSTER_CRITICAL));
        d.put("remediation.workload-cooldown", "1h");
        d.put("remediation.node-evictions-per-hour", "1");
        d.put("remediation.evictions-per-hour", "10");
        d.put("remediation.reclaim-timeout", "2m");
        d.put("remediation.verify-after", "20s");
        d.put("remediation.escalate-after", "15m");
        d.put("remediation.node-reclaim-every", "6h");
        return java.util.Collections.unmodifiableMap(d);
    }

    public static List<String> keys() {
        return List.copyOf(DEFAULTS.keySet());
    }

    /** The command-line flag of a key: --hold-down, --taint-degraded. */
    public static String flagName(String key) {
        return "--" + key.replace('.', '-');
    }

    /** The default value of a key. */
    public static String defaultValue(String key) {
        return DEFAULTS.get(key);
    }

    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * @param file the settings file, if any
     * @param env  the environment (only DENTRYGUARD_* variables are looked at)
     * @param flags values given on the command line, by key
     * @throws IllegalArgumentException with a one-line message naming the key and its origin
     */
    public static OperatorSettings load(Optional<Path> file, Map<String, String> env, Map<String, String> flags) {
        return read(file, env, flags).settings();
    }

    /** The settings as key=value lines, each with where its value came from; validated first. */
    public static List<String> describe(Optional<Path> file, Map<String, String> env, Map<String, String> flags) {
        SettingsLoader loader = read(file, env, flags);
        loader.settings();
        return loader.values.keySet().stream()
                .map(k -> k + "=" + loader.values.get(k) + "    # " + loader.origins.get(k)).toList();
    }

    private static SettingsLoader read(Optional<Path> file, Map<String, String> env, Map<String, String> flags) {
        SettingsLoader loader = new SettingsLoader();
        DEFAULTS.forEach((k, v) -> loader.put(k, v, "default"));
        file.ifPresent(loader::readFile);
        loader.readEnv(env);
        flags.forEach((k, v) -> {
            if (!DEFAULTS.containsKey(k)) {
                throw new IllegalArgumentException("unknown setting '" + k + "'");
            }
            loader.put(k, v, "flag " + flagName(k));
        });
        return loader;
    }

    private void put(String key, String value, String origin) {
        values.put(key, value.strip());
        origins.put(key, origin);
    }

    private void readFile(Path file) {
        PropertiesFile.read(file, DEFAULTS.keySet()).forEach((key, value) -> put(key, value, "config " + file));
    }

    private void readEnv(Map<String, String> env) {
        Map<String, String> byEnvName = new LinkedHashMap<>();
        DEFAULTS.keySet().forEach(k -> byEnvName.put(envName(k), k));
        for (String name : new java.util.TreeSet<>(env.keySet())) {
            if (!name.startsWith(ENV_PREFIX)) {
                continue;
            }
            String key = byEnvName.get(name);
            if (key == null) {
                throw new IllegalArgumentException("environment: unknown variable " + name + " (known: "
                        + String.join(", ", byEnvName.keySet()) + ")");
            }
            put(key, env.get(name), "environment " + name);
        }
    }

    private OperatorSettings settings() {
        Map<Verdict, TaintEffect> taints = new EnumMap<>(Verdict.class);
        effect("taint.warning").ifPresent(e -> taints.put(Verdict.WARNING, e));
        effect("taint.degraded").ifPresent(e -> taints.put(Verdict.DEGRADED, e));
        effect("taint.critical").ifPresent(e -> taints.put(Verdict.CRITICAL, e));
        Duration heartbeat = duration("heartbeat", false);
        Policy policy = new Policy(taints, duration("hold-down", true), heartbeat, whole("stale-after-heartbeats", 1),
                choice("stale-taint", "keep", "remove").equals("remove"), bool("dry-run"), fraction("max-tainted-fraction"),
                whole("min-tainted-nodes", 0));
        String leaseNamespace = values.get("lease-namespace");
        int port = whole("metrics-port", 0);
        if (port > 65535) {
            throw problem("metrics-port", "must be a port number from 0 to 65535");
        }
        return new OperatorSettings(policy, duration("resync", false), name("event-namespace"),
                OperatorSettings.LeaderElection.valueOf(choice("leader-election", "auto", "true", "false").toUpperCase(Locale.ROOT)),
                name("lease-name"), leaseNamespace.isEmpty() ? Optional.empty() : Optional.of(name("lease-namespace")),
                nonEmpty("metrics-address"), port, remediation(), new LadderTimings(duration("remediation.reclaim-timeout", false),
                        duration("remediation.verify-after", true), duration("remediation.escalate-after", true),
                        duration("remediation.node-reclaim-every", true)));
    }

    private RemediationPolicy remediation() {
        String confidence = choice("remediation.min-confidence", "high", "medium", "low");
        Set<String> excluded = new java.util.TreeSet<>();
        for (String ns : values.get("remediation.excluded-namespaces").split(",")) {
            if (!ns.isBlank()) {
                if (!isName(ns.strip())) {
                    throw problem("remediation.excluded-namespaces", "names '" + ns.strip() + "', which is not a namespace name");
                }
                excluded.add(ns.strip());
            }
        }
        Verdict reclaimFrom = Verdict.valueOf(choice("remediation.reclaim-from", "warning", "degraded").toUpperCase(Locale.ROOT));
        return new RemediationPolicy(bool("remediation.reclaim-pods"), bool("remediation.evict"), bool("remediation.reclaim-node"), reclaimFrom,
                OffenderStatus.Confidence.valueOf(confidence.toUpperCase(Locale.ROOT)), excluded, whole("remediation.protected-priority", 0),
                duration("remediation.workload-cooldown", true), whole("remediation.node-evictions-per-hour", 0),
                whole("remediation.evictions-per-hour", 0));
    }

    private IllegalArgumentException problem(String key, String what) {
        return new IllegalArgumentException(origins.get(key) + ": " + key + "='" + values.get(key) + "' " + what);
    }

    private Optional<TaintEffect> effect(String key) {
        String v = values.get(key);
        if (v.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        for (TaintEffect e : TaintEffect.values()) {
            if (e.apiName().equalsIgnoreCase(v)) {
                return Optional.of(e);
            }
        }
        throw problem(key, "is not a taint effect (none, NoSchedule, PreferNoSchedule, NoExecute)");
    }

    /** Durations as in Kubernetes manifests: 90s, 5m, 1h30m, 500ms. */
    private Duration duration(String key, boolean zeroAllowed) {
        Duration d = Durations.parse(values.get(key)).orElseThrow(() -> problem(key, Durations.NOT_A_DURATION));
        if (d.isZero() && !zeroAllowed) {
            throw problem(key, "must be longer than zero");
        }
        return d;
    }

    private int whole(String key, int min) {
        int n;
        try {
            n = Integer.parseInt(values.get(key));
        } catch (NumberFormatException e) {
            throw problem(key, "is not a whole number");
        }
        if (n < min) {
            throw problem(key, "must be at least " + min);
        }
        return n;
    }

    private double fraction(String key) {
        double d;
        try {
            d = Double.parseDouble(values.get(key));
        } catch (NumberFormatException e) {
            throw problem(key, "is not a number");
        }
        if (!(d >= 0 && d <= 1)) {
            throw problem(key, "must be a fraction from 0 to 1 (0.2 is 20% of the nodes)");
        }
        return d;
    }

    private boolean bool(String key) {
        return choice(key, "true", "false").equals("true");
    }

    private String choice(String key, String... allowed) {
        String v = values.get(key).toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return a;
            }
        }
        throw problem(key, "must be one of " + String.join(", ", allowed));
    }

    private String nonEmpty(String key) {
        if (values.get(key).isEmpty()) {
            throw problem(key, "must not be empty");
        }
        return values.get(key);
    }

    /** A Kubernetes object name (RFC 1123 label). */
    private String name(String key) {
        String v = nonEmpty(key);
        if (!isName(v)) {
            throw problem(key, "is not a valid Kubernetes name (lower-case letters, digits and '-')");
        }
        return v;
    }

    /** A Kubernetes object name (RFC 1123 label): lower-case letters, digits and '-'. */
    private static boolean isName(String v) {
        return v.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    }
}
