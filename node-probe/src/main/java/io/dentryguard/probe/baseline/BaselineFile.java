package io.dentryguard.probe.baseline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dentryguard.api.v1alpha1.BaselineStatus;
import io.dentryguard.probe.detector.LookupBaseline;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the lookup baseline in a small JSON file ({@code STATE-DIR/baseline.json}): the status's
 * {@code baseline} field with a format number. Written atomically; a file that cannot be understood
 * is moved aside, not deleted, and the probe learns anew.
 */
public final class BaselineFile implements BaselineKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(BaselineFile.class);
    private static final ObjectMapper MAPPER = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final int FORMAT = 1;

    private final Path file;

    public BaselineFile(Path file) {
        this.file = file;
    }

    @Override
    public String where() {
        return file.toString();
    }

    @Override
    public Optional<LookupBaseline> load(String kernel) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = MAPPER.readTree(file.toFile());
            if (root == null || root.path("format").asInt() != FORMAT) {
                throw new IllegalArgumentException("unknown format " + (root == null ? "(empty)" : root.path("format")));
            }
            return BaselineFormat.read(MAPPER.treeToValue(root, BaselineStatus.class), kernel, where());
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
    }

    @Override
    public void save(LookupBaseline baseline) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.setAll((ObjectNode) MAPPER.valueToTree(BaselineFormat.write(baseline)));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
