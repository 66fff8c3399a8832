package io.dentryguard.operator.cli;

import io.dentryguard.api.logging.UtcLogTimestamps;
import io.dentryguard.operator.config.OperatorSettings;
import io.dentryguard.operator.config.SettingsLoader;
import io.dentryguard.operator.metrics.OperatorRegistry;
import io.dentryguard.operator.reconcile.OperatorFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dentry-guard operator}: runs the operator against the current kubeconfig (or in-cluster). */
@Command(name = "operator", mixinStandardHelpOptions = true,
        description = {"Turns NodeHealth reports into taints, a Node condition and Events.",
                "Settings: a properties file (--config), DENTRYGUARD_* environment variables, then the flags below; each wins over "
                        + "the ones before (docs/operator.md)."})
public final class OperatorMain implements Callable<Integer> {
    static {
        UtcLogTimestamps.install(); // before LOG, the program's first logger
    }
    private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);
    static final Path POD_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (key=value); see docs/operator.md.")
    Path config;

    @Option(names = "--print-config", description = "Validate the settings, print them and exit.")
    boolean printConfig;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;

    OperatorMain(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv(), new PrintWriter(System.err, true), args));
    }

    static int run(Map<String, String> env, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(withSettingFlags(CommandSpec.forAnnotatedObject(new OperatorMain(env))));
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("dentry-guard operator: " + e.getMessage() + " (see --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println("dentry-guard operator: " + String.valueOf(e.getMessage()).replace('\n', ' '));
            return 1;
        });
        return cli.execute(args);
    }

    /** One flag per setting, from the settings' own list, so that flags and DENTRYGUARD_* variables cover the same. */
    private static CommandSpec withSettingFlags(CommandSpec spec) {
        for (String key : SettingsLoader.keys()) {
            String byDefault = SettingsLoader.defaultValue(key);
            OptionSpec.Builder flag = OptionSpec.builder(SettingsLoader.flagName(key)).type(String.class).paramLabel("VALUE")
                    .description("Setting " + key + " (or " + SettingsLoader.envName(key) + "); default: "
                            + (byDefault.isEmpty() ? "none" : byDefault) + ".");
            if (byDefault.equals("true") || byDefault.equals("false")) {
                flag.arity("0..1").fallbackValue("true");
            }
            spec.addOption(flag.build());
        }
        return spec;
    }

    private Map<String, String> flags() {
        Map<String, String> given = new LinkedHashMap<>();
        for (String key : SettingsLoader.keys()) {
            String value = spec.findOption(SettingsLoader.flagName(key)).getValue();
            if (value != null) {
                given.put(key, value);
            }
        }
        return given;
    }

    @Override
    public Integer call() throws Exception {
        if (printConfig) {
            SettingsLoader.describe(Optional.ofNullable(config), env, flags()).forEach(System.out::println);
            return 0;
        }
        OperatorSettings settings = SettingsLoader.load(Optional.ofNullable(config), env, flags());
        boolean inPod = Files.isReadable(POD_NAMESPACE);
        boolean leaderElection = switch (settings.leaderElection()) {
            case TRUE -> true;
            case FALSE -> false;
            case AUTO -> inPod;
        };
        Optional<String> leaseNamespace = settings.leaseNamespace().or(() -> inPod ? Optional.of(podNamespace()) : Optional.empty());
        if (leaderElection && leaseNamespace.isEmpty()) {
            throw new IllegalArgumentException("leader-election is on but lease-namespace is not set and this is not a pod");
        }

        KubernetesClient client = new KubernetesClientBuilder().build();
        if (!inPod && client.getConfiguration().getMasterUrl().contains("kubernetes.default.svc")) {
            throw new IllegalArgumentException("no kubeconfig found (KUBECONFIG or ~/.kube/config) and not running in a pod");
        }
        PrometheusMeterRegistry registry = OperatorRegistry.create();
        Optional<LeaderElectionConfiguration> election = Optional.empty();
        LeaseLoss leaseLoss = new LeaseLoss(System::exit);
        if (leaderElection) {
            String identity = env.getOrDefault("HOSTNAME", "dentry-guard-operator-" + ProcessHandle.current().pid());
            election = Optional.of(leaseLoss.configuration(settings.leaseName(), leaseNamespace.get(), identity));
        }
        Operator operator = OperatorFactory.create(client, settings, election, registry, Clock.systemUTC());
        try (HttpEndpoints http = new HttpEndpoints(settings.metricsAddress(), settings.metricsPort(), registry::scrape,
                () -> operator.getRuntimeInfo().allEventSourcesAreHealthy())) {
            LOG.info("dentry-guard operator: API server {}, dry-run {}, leader election {}, metrics on :{}", client.getMasterUrl(),
                    settings.policy().dryRun(), leaderElection ? "on (Lease " + leaseNamespace.get() + "/" + settings.leaseName() + ")"
                            : "off", http.port());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                leaseLoss.stopping();
                operator.stop();
                stopped.countDown();
            }, "dentry-guard-shutdown"));
            operator.start();
            stopped.await();
        }
        return 0;
    }

    private static String podNamespace() {
        try {
            return Files.readString(POD_NAMESPACE).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + POD_NAMESPACE + ": " + e.getMessage());
        }
    }
}
