package io.dentryguard.probe.cli;

import io.dentryguard.api.config.Durations;
import java.time.Duration;
import picocli.CommandLine.TypeConversionException;

/** Durations on the command line, in the grammar of every dentry-guard setting (500ms, 5s, 2m, 1h30m). */
public final class DurationConverter {
    private DurationConverter() {}

    public static Duration parse(String text) {
        Duration d = Durations.parse(text)
                .orElseThrow(() -> new TypeConversionException("'" + text + "' " + Durations.NOT_A_DURATION));
        if (d.isZero()) {
            throw new TypeConversionException("'" + text + "' must be longer than zero");
        }
        return d;
    }
}
