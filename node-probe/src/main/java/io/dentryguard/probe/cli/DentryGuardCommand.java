package io.dentryguard.probe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "dentry-guard",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Protects Linux nodes from negative-dentry floods.",
        subcommands = {ProbeCommand.class, ReclaimCommand.class, FloodCommand.class})
public final class DentryGuardCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: probe, reclaim or flood");
    }
}
