package io.dentryguard.probe.cli;

import io.dentryguard.api.logging.UtcLogTimestamps;
import picocli.CommandLine;

/** Entry point of {@code dentry-guard}: errors are one line on stderr and a non-zero exit. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        UtcLogTimestamps.install();
        System.exit(run(args));
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /** With {@code factory} making the commands: tests put in a command whose kernel they play. */
    static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine cli = new CommandLine(new DentryGuardCommand(), factory);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.registerConverter(java.time.Duration.class, DurationConverter::parse);
        cli.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("dentry-guard: " + e.getMessage() + " (see --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("dentry-guard: " + oneLine(e));
            return 1;
        });
        return cli;
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        return message.replace('\n', ' ');
    }
}
