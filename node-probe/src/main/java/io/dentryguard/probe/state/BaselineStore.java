package io.dentryguard.probe.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dentryguard.probe.detector.LookupBaseline;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the lookup baseline in a small JSON file, so that a restarted standalone probe does not
 * have to learn it again (and cannot learn a polluted one if it restarts on a flooded node). Written
 * atomically; a file that cannot be understood is moved aside, not deleted, and the probe learns anew.
 */
public final class BaselineStore implements BaselineKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(BaselineStore.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int FORMAT = 1;

    private final Path file;

    public BaselineStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    @Override
    public String where() {
        return file.toString();
    }

    /** The stored baseline if there is one, it parses, and it was learned on {@code kernel}. */
    public Optional<LookupBaseline> load(String kernel) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        LookupBaseline baseline;
        try {
            baseline = parse(MAPPER.readTree(file.toFile()));
        } catch (IOException | RuntimeException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".unreadable-" + Instant.now().getEpochSecond());
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
            LOG.warn("baseline file {} cannot be read ({}); moved to {}, learning a new baseline", file, why, aside);
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailure) {
                LOG.warn("could not move {} aside: {}", file, moveFailure.getMessage());
            }
            return Optional.empty();
        }
        if (kernel != null && !kernel.equals(baseline.kernel())) {
            LOG.info("baseline in {} was learned on kernel {}, this is {}: learning a new one", file, baseline.kernel(), kernel);
            return Optional.empty();
        }
        return Optional.of(baseline);
    }

    @Override
    public void save(LookupBaseline baseline) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("kernel", baseline.kernel());
        root.put("firstLearnedAt", baseline.firstLearnedAt().toString());
        root.put("updatedAt", baseline.updatedAt().toString());
        baseline.relativeCosts().forEach(root.putArray("relativeCosts")::add);
        baseline.nsPerLookups().forEach(root.putArray("nsPerLookups")::add);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static LookupBaseline parse(JsonNode root) {
        if (root == null || root.path("format").asInt() != FORMAT) {
            throw new IllegalArgumentException("unknown format " + (root == null ? "(empty)" : root.path("format")));
        }
        return new LookupBaseline(doubles(root, "relativeCosts"), doubles(root, "nsPerLookups"),
                Instant.parse(text(root, "firstLearnedAt")), Instant.parse(text(root, "updatedAt")), text(root, "kernel"));
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("field " + field + " missing");
        }
        return n.asText();
    }

    private static List<Double> doubles(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isArray()) {
            throw new IllegalArgumentException("field " + field + " missing");
        }
        List<Double> out = new ArrayList<>();
        for (JsonNode v : n) {
            if (!v.isNumber()) {
                throw new IllegalArgumentException("field " + field + " holds a non-number");
            }
            out.add(v.asDouble());
        }
        return out;
    }
}
