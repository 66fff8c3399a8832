package io.dentryguard.probe.cli;

import io.dentryguard.probe.flood.NegativeDentryFlood;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "flood",
        mixinStandardHelpOptions = true,
        description = {"Creates negative dentries by looking up COUNT random names that do not exist in DIR.",
                "A test and demonstration tool. Each costs about 200 bytes of kernel memory until DIR is removed."})
public final class FloodCommand implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "DIR",
            description = "Directory to look names up in, on a disk file system (tmpfs keeps no negative dentries).")
    Path dir;

    @Option(names = "--count", required = true, paramLabel = "N", description = "Number of distinct missing names.")
    long count;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "Lookup threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "0",
            description = "At most N names per second in all (default: 0, as fast as it goes).")
    long rate;

    /** For tests of reclaim: the flooding process stays alive (and in its cgroup) this long after the flood. */
    @Option(names = "--hold", paramLabel = "DURATION", hidden = true)
    java.time.Duration hold;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (count < 1 || threads < 1 || threads > 64 || rate < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--count must be positive, --threads within 1..64 and --rate not negative");
        }
        NegativeDentryFlood.Result r = NegativeDentryFlood.lookUpMissingNames(dir, count, threads, rate);
        System.out.printf(Locale.ROOT, "looked up %,d missing names in %s in %.1f s (%,.0f per second)%n",
                r.lookups(), dir, r.elapsedNanos() / 1e9, r.perSecond());
        if (hold != null) {
            System.out.println("holding");
            System.out.flush();
            Thread.sleep(hold.toMillis());
        }
        return r.existing() == 0 ? 0 : 1;
    }
}
