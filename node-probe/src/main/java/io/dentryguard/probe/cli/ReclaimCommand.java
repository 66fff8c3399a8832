package io.dentryguard.probe.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dentryguard.api.v1alpha1.ReclaimOutcome;
import io.dentryguard.api.v1alpha1.ReclaimRequest.Scope;
import io.dentryguard.probe.actuator.reclaim.CgroupReclaimer;
import io.dentryguard.probe.actuator.reclaim.MemoryHierarchy;
import io.dentryguard.probe.actuator.reclaim.PodCgroups;
import io.dentryguard.probe.actuator.reclaim.ReclaimCapabilities;
import io.dentryguard.probe.actuator.reclaim.ReclaimCapabilityCheck;
import io.dentryguard.probe.actuator.reclaim.ReclaimDecision;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dentry-guard reclaim}: the reclaim the probe performs for the operator's request, asked by
 * hand (a runbook step) and done at once, with the same pieces: the hierarchy and the capability
 * check, the pod's cgroup found among the kubelet's only, {@link ReclaimDecision}, {@link CgroupReclaimer}.
 */
@Command(name = "reclaim",
        mixinStandardHelpOptions = true,
        description = {"Reclaims one pod's memory cgroup on this node now, as the probe does for the",
                "operator's request: its negative dentries and page cache go, no other pod's.",
                "With --node, every workload's cached dentries and inodes instead",
                "(drop_caches=2: can take tens of seconds). Prints what was freed."},
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {
            "0:Done: the figures say what was freed",
            "1:Failed: tried, and the kernel freed nothing or the cgroup vanished",
            "2:bad usage",
            "3:Refused, not tried: no such pod's cgroup on this node, or the control file cannot be written"})
public final class ReclaimCommand implements Callable<Integer> {
    static final int FAILED = 1;
    static final int REFUSED = 3;
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final Map<ReclaimOutcome.Result, Integer> EXIT_CODES =
            Map.of(ReclaimOutcome.Result.DONE, 0, ReclaimOutcome.Result.FAILED, FAILED, ReclaimOutcome.Result.REFUSED, REFUSED);

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--pod-uid", paramLabel = "UID", required = true,
                description = "The pod (kubectl get pod NAME -o jsonpath='{.metadata.uid}'); its cgroup is looked for among the kubelet's pod cgroups only.")
        String podUid;

        @Option(names = "--node", required = true, description = "Reclaim the whole node instead: writes 2 to /proc/sys/vm/drop_caches.")
        boolean node;
    }

    @Mixin
    HostPaths host = new HostPaths();

    @Option(names = "--json", description = "Print the outcome as JSON, with the fields of a NodeHealth's status.reclaimOutcome.")
    boolean json;

    private final CgroupReclaimer.ControlFileWriter kernel;
    private final Clock clock;

    public ReclaimCommand() {
        this(CgroupReclaimer.KERNEL, Clock.systemUTC());
    }

    /** Tests put in a writer that plays the kernel's side of the write. */
    ReclaimCommand(CgroupReclaimer.ControlFileWriter kernel, Clock clock) {
        this.kernel = kernel;
        this.clock = clock;
    }

    @Override
    public Integer call() throws JsonProcessingException {
        Scope scope = target.node ? Scope.NODE : Scope.POD;
        if (scope == Scope.POD && !ReclaimDecision.isPodUid(target.podUid)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--pod-uid '" + target.podUid
                    + "' is not a pod UID: the lower-case form kubectl prints, e.g. 3f2b8c1e-7a4d-4e5f-9b6a-0c1d2e3f4a5b");
        }
        Optional<MemoryHierarchy> hierarchy = MemoryHierarchy.find(host.cgroupRoot);
        ReclaimCapabilities capabilities = ReclaimCapabilityCheck.check(scope == Scope.POD, scope == Scope.NODE, hierarchy, host.cgroupRoot,
                host.dropCaches());
        Optional<Path> podCgroup = scope == Scope.POD && capabilities.allows(Scope.POD)
                ? new PodCgroups(hierarchy.orElseThrow().root()).find(target.podUid)
                : Optional.empty();
        String id = "manual-" + clock.instant();
        ReclaimDecision.Decision decision = ReclaimDecision.decideOnThisNode(id, scope, target.podUid, capabilities, podCgroup);
        ReclaimOutcome outcome = decision instanceof ReclaimDecision.Refuse refuse
                ? refuse.outcome(clock.instant())
                : new CgroupReclaimer(host.proc(), host.dropCaches(), hierarchy.orElse(null), kernel, clock, System::nanoTime).reclaim((ReclaimDecision.Perform) decision);
        spec.commandLine().getOut().println(json ? JSON.writeValueAsString(outcome) : outcome.getResult().displayName() + ": " + outcome.getMessage());
        spec.commandLine().getOut().flush();
        return EXIT_CODES.get(outcome.getResult());
    }
}
