package io.dentryguard.probe.config;

import io.dentryguard.api.config.PropertiesFile;
import io.dentryguard.probe.detector.DetectorConfig;
import io.dentryguard.probe.detector.Thresholds;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads detector settings from a properties file ({@code key=value}, {@code --config}); keys not
 * given keep their defaults. Every error names the file and the key, in one line.
 */
public final class DetectorConfigFile {
    /** In the order docs/probe.md lists them. */
    public static final List<String> KEYS = List.of(
            "chainLength.warning", "chainLength.degraded", "chainLength.critical",
            "lookupRatio.warning", "lookupRatio.degraded", "lookupRatio.critical",
            "canaryMinChainLength", "negativeGrowthPerSecond", "negativeShareForGrowth",
            "raiseAfter", "clearAfter", "baselineMaxChainLength", "baselineMinSamples", "baselineWindow");

    private DetectorConfigFile() {}

    public static DetectorConfig load(Path file) {
        return fromProperties(file.toString(), PropertiesFile.read(file, KEYS));
    }

    /** The settings these values (known keys only, as the file reader ensures) make. */
    static DetectorConfig fromProperties(String origin, Map<String, String> values) {
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

    private record Values(String origin, Map<String, String> values) {
        double decimal(String key, double fallback) {
            String v = values.get(key);
            if (v == null) {
                return fallback;
            }
            try {
                double d = Double.parseDouble(v.strip());
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("config " + origin + ": key " + key + ": '" + v + "' is not a number");
            }
        }

        int whole(String key, int fallback) {
            String v = values.get(key);
            if (v == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(v.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("config " + origin + ": key " + key + ": '" + v + "' is not a whole number");
            }
        }
    }
}
