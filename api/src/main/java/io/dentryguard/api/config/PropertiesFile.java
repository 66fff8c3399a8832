package io.dentryguard.api.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A settings file of {@code key=value} lines, the format of both the probe's and the operator's (a
 * ConfigMap mounts as one). A key that is not known is refused, not ignored: a misspelt key would
 * otherwise leave its setting at the default without a word.
 */
public final class PropertiesFile {
    private PropertiesFile() {}

    /**
     * The file's values by key.
     *
     * @param known the keys the file may set, in the order an error lists them
     * @throws IllegalArgumentException in one line naming the file, and the key if one is unknown
     */
    public static Map<String, String> read(Path file, Collection<String> known) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("config " + file + ": cannot be read: " + e.getMessage());
        }
        Map<String, String> values = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            values.put(key, p.getProperty(key));
        }
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("config " + file + ": unknown key '" + key + "' (known: "
                        + String.join(", ", known) + ")");
            }
        }
        return values;
    }
}
