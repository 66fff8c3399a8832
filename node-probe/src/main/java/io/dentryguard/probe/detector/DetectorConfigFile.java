package io.dentryguard.probe.detector;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads detector settings from a properties file ({@code key=value}); keys not given keep their
 * defaults. Every error names the file and the key, in one line.
 */
public final class DetectorConfigFile {
    public static final Set<String> KEYS = Set.of(
            "chainLength.warning", "chainLength.degraded", "chainLength.critical",
            "lookupRatio.warning", "lookupRatio.degraded", "lookupRatio.critical",
            "canaryMinChainLength", "negativeGrowthPerSecond", "negativeShareForGrowth",
            "raiseAfter", "clearAfter", "baselineMaxChainLength", "baselineMinSamples", "baselineWindow");

    private DetectorConfigFile() {}

    public static DetectorConfig load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("config " + file + ": cannot be read: " + e.getMessage());
        }
        return fromProperties(file.toString(), p);
    }

    public static DetectorConfig fromProperties(String origin, Map<?, ?> values) {
        Set<String> unknown = new TreeSet<>();
        for (Object k : values.keySet()) {
            if (!KEYS.contains(k.toString())) {
                unknown.add(k.toString());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("config " + origin + ": unknown key " + String.join(", ", unknown)
                    + " (known: " + String.join(", ", new TreeSet<>(KEYS)) + ")");
        }
        DetectorConfig d = DetectorConfig.defaults();
        Values reader = new Values(origin, values);
        try {
            return new DetectorConfig(
                    new Thresholds(reader.decimal("chainLength.warning", d.chainLength().warning()),
                            reader.decimal("chainLength.degraded", d.chainLength().degraded()),
                            reader.decimal("chainLength.critical", d.chainLength().critical())),
                    new Thresholds(reader.decimal("lookupRatio.warning", d.lookupRatio().warning()),
                            reader.decimal("lookupRatio.degraded", d.lookupRatio().degraded()),
                            reader.decimal("lookupRatio.critical", d.lookupRatio().critical())),
                    reader.decimal("canaryMinChainLength", d.canaryMinChainLength()),
                    reader.decimal("negativeGrowthPerSecond", d.negativeGrowthPerSecond()),
                    reader.decimal("negativeShareForGrowth", d.negativeShareForGrowth()),
                    reader.whole("raiseAfter", d.raiseAfter()),
                    reader.whole("clearAfter", d.clearAfter()),
                    reader.decimal("baselineMaxChainLength", d.baselineMaxChainLength()),
                    reader.whole("baselineMinSamples", d.baselineMinSamples()),
                    reader.whole("baselineWindow", d.baselineWindow()));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("config ")) {
                throw e;
            }
            throw new IllegalArgumentException("config " + origin + ": " + e.getMessage());
        }
    }

    private record Values(String origin, Map<?, ?> values) {
        double decimal(String key, double fallback) {
            Object v = values.get(key);
            if (v == null) {
                return fallback;
            }
            try {
                double d = Double.parseDouble(v.toString().strip());
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("config " + origin + ": key " + key + ": '" + v + "' is not a number");
            }
        }

        int whole(String key, int fallback) {
            Object v = values.get(key);
            if (v == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(v.toString().strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("config " + origin + ": key " + key + ": '" + v + "' is not a whole number");
            }
        }
    }
}
