package io.dentryguard.demo;

import io.dentryguard.api.logging.UtcLogTimestamps;
import io.dentryguard.probe.cli.DurationConverter;
import java.time.Duration;
import picocli.CommandLine;

/** Entry point of {@code ./dentry-guard demo}. */
public final class DemoMain {
    private DemoMain() {}

    public static void main(String[] args) {
        UtcLogTimestamps.install();
        // NodeHealth is v1alpha1 on purpose; fabric8 would warn about it once per client, in the middle of the timeline.
        System.setProperty("org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils", "error");
        // Durations in the grammar of every dentry-guard setting (5s, 2m, 1h30m).
        System.exit(new CommandLine(new DemoCommand()).registerConverter(Duration.class, DurationConverter::parse).execute(args));
    }
}
