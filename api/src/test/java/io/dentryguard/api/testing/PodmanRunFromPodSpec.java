package io.dentryguard.api.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code podman run} options that run one container of a pod template as the kubelet would run
 * it on this node (runc, cgroup v1, cgroupfs driver): its user, capabilities, privilege escalation,
 * seccomp, read-only root, host mounts and their read-only flags, empty dirs, environment (the
 * downward API's node name given) and resource limits. Every field of the template's pod spec and
 * of the container is either mapped or named below as having no effect on a container's run (with
 * why); any other field fails the test, naming it, so that a setting the chart adds is never
 * silently left out of the run. Settings a least-privileged pod must not have (privileged mode,
 * the host's network, PID or IPC namespace, a host port) fail the test too.
 *
 * <p>Read-only mounts: a bind mount's {@code :ro} makes only its top read-only; mounts below the
 * host path (each cgroup v1 controller below /sys/fs/cgroup) stay writable. Kubernetes'
 * {@code recursiveReadOnly: IfPossible|Enabled} makes them read-only too; podman 4.3 has no
 * {@code rro}, so each submount is bound read-only itself. Without {@code recursiveReadOnly}, as in
 * Kubernetes, only the top is.
 *
 * <p>An {@code emptyDir} is a new directory under the scratch directory given (on disk, as the
 * kubelet keeps one under /var/lib/kubelet/pods; a tmpfs would keep no negative dentries), or a
 * tmpfs with {@code medium: Memory}.
 *
 * @param options the options of {@code podman run}, before the image
 * @param args    the container's arguments, after the image (its entry point is the image's)
 * @param image   the image the spec names (the test runs the image it builds)
 * @param notRun  what of the spec has no effect on this run, and why (printed by tests)
 * @param made    the host directories made for it (empty dirs, DirectoryOrCreate), to remove after
 */
public record PodmanRunFromPodSpec(List<String> options, List<String> args, String image, List<String> notRun, List<Path> made) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Pod spec fields that only place, schedule or authorise the pod: they change nothing in how its container runs. */
    private static final Map<String, String> POD_FIELDS_WITHOUT_EFFECT = Map.of(
            "tolerations", "scheduling", "priorityClassName", "scheduling and eviction order", "nodeSelector", "scheduling",
            "affinity", "scheduling", "serviceAccountName", "API credentials (the run is given its own)",
            "serviceAccount", "API credentials (the run is given its own)", "terminationGracePeriodSeconds", "the kubelet's stop",
            "dnsPolicy", "name resolution in the cluster", "restartPolicy", "the kubelet's restarts", "schedulerName", "scheduling");
    private static final Map<String, String> CONTAINER_FIELDS_WITHOUT_EFFECT = Map.of(
            "ports", "a pod's ports are its own network namespace's (no hostPort)",
            "livenessProbe", "the kubelet's checks", "readinessProbe", "the kubelet's checks", "startupProbe", "the kubelet's checks",
            "imagePullPolicy", "the test runs the image it built",
            "terminationMessagePath", "the kubelet's", "terminationMessagePolicy", "the kubelet's");

    /** These options without the volume or tmpfs mounted at {@code mountPath}: as if the spec had not mounted it. */
    public List<String> optionsWithout(String mountPath) {
        List<String> kept = options.stream().filter(o -> !(o.startsWith("--volume=") && o.split(":")[1].equals(mountPath))
                && !(o.startsWith("--tmpfs=") && o.substring("--tmpfs=".length()).split(":")[0].equals(mountPath))).toList();
        if (kept.size() == options.size()) {
            throw new AssertionError("nothing is mounted at " + mountPath + ": " + options);
        }
        return kept;
    }

    /** The values the downward API would give: {@code spec.nodeName}, {@code metadata.name}, {@code metadata.namespace}. */
    public record Downward(String nodeName, String podName, String namespace) {}

    public static PodmanRunFromPodSpec of(PodTemplateSpec template, String container, Downward downward, Path scratch) {
        Map<String, String> annotations = template.getMetadata() == null || template.getMetadata().getAnnotations() == null
                ? Map.of() : template.getMetadata().getAnnotations();
        annotations.keySet().stream().filter(k -> k.contains("apparmor") || k.contains("seccomp")).findFirst().ifPresent(k -> {
            throw new AssertionError("annotation " + k + " sets a security profile: teach PodmanRunFromPodSpec to map it");
        });
        return new Converter(template.getSpec(), downward, scratch).run(container);
    }

    private static final class Converter {
        private final Fields pod;
        private final Downward downward;
        private final Path scratch;
        private final List<String> options = new ArrayList<>();
        private final List<String> notRun = new ArrayList<>();
        private final List<Path> made = new ArrayList<>();

        Converter(PodSpec spec, Downward downward, Path scratch) {
            this.pod = new Fields("spec", parse(Serialization.asJson(spec)));
            this.downward = downward;
            this.scratch = scratch;
        }

        private static Map<String, Object> parse(String json) {
            try {
                return JSON.readValue(json, new TypeReference<>() {});
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        PodmanRunFromPodSpec run(String name) {
            for (String namespace : List.of("hostNetwork", "hostPID", "hostIPC")) {
                if (Boolean.TRUE.equals(pod.take(namespace))) {
                    throw new AssertionError(pod.where(namespace) + " is true: the pod must not share the host's namespaces");
                }
            }
            POD_FIELDS_WITHOUT_EFFECT.forEach((field, why) -> {
                if (pod.take(field) != null) {
                    notRun.add(pod.where(field) + ": " + why);
                }
            });
            Fields podSecurity = pod.fields("securityContext");
            List<Fields> containers = pod.list("containers");
            Fields c = containers.stream().filter(f -> name.equals(f.peek("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no container named " + name + " in the pod spec"));
            containers.stream().filter(f -> f != c).forEach(f -> {
                notRun.add("container " + f.peek("name") + ": another container of the pod, not run");
                f.takeAll();
            });
            c.take("name");
            String image = (String) c.take("image");
            if (c.take("command") != null) {
                throw new AssertionError(c.where("command") + " replaces the image's entry point (the launcher): teach PodmanRunFromPodSpec to map it");
            }
            List<String> args = c.strings("args");
            CONTAINER_FIELDS_WITHOUT_EFFECT.forEach((field, why) -> {
                Object value = c.take(field);
                if (value != null) {
                    if (field.equals("ports") && value.toString().contains("hostPort")) {
                        throw new AssertionError(c.where("ports") + " has a hostPort: the probe needs none");
                    }
                    notRun.add(c.where(field) + ": " + why);
                }
            });
            security(podSecurity, c.fields("securityContext"));
            Map<String, String> environment = env(c.list("env"));
            resources(c.fields("resources"));
            volumes(pod.list("volumes"), c.list("volumeMounts"));
            pod.done();
            c.done();
            // The kubelet expands $(NAME) in args with the container's environment (e.g. --node $(NODE_NAME)).
            List<String> expanded = args.stream().map(a -> {
                String out = a;
                for (Map.Entry<String, String> e : environment.entrySet()) {
                    out = out.replace("$(" + e.getKey() + ")", e.getValue());
                }
                return out;
            }).toList();
            return new PodmanRunFromPodSpec(List.copyOf(options), expanded, image, List.copyOf(notRun), List.copyOf(made));
        }

        /** Pod-level settings, overridden by the container's. */
        private void security(Fields podLevel, Fields container) {
            Object user = first(container.take("runAsUser"), podLevel.take("runAsUser"));
            Object group = first(container.take("runAsGroup"), podLevel.take("runAsGroup"));
            Object nonRoot = first(container.take("runAsNonRoot"), podLevel.take("runAsNonRoot"));
            if (Boolean.TRUE.equals(nonRoot) && (user == null || ((Number) user).longValue() == 0)) {
                throw new AssertionError("runAsNonRoot with runAsUser " + user + ": the kubelet would refuse to start it");
            }
            if (user != null) {
                options.add("--user=" + user + (group == null ? "" : ":" + group));
            } else if (group != null) {
                throw new AssertionError("runAsGroup without runAsUser: teach PodmanRunFromPodSpec to map it");
            }
            if (Boolean.TRUE.equals(container.take("privileged"))) {
                throw new AssertionError(container.where("privileged") + " is true: the probe needs no privileged mode");
            }
            Object escalation = container.take("allowPrivilegeEscalation");
            if (Boolean.FALSE.equals(escalation)) {
                options.add("--security-opt=no-new-privileges");
            }
            if (Boolean.TRUE.equals(container.take("readOnlyRootFilesystem"))) {
                // Kubernetes mounts nothing writable on a read-only root unless the spec does: no tmpfs on /tmp.
                options.add("--read-only");
                options.add("--read-only-tmpfs=false");
            }
            Fields capabilities = container.fields("capabilities");
            for (String drop : capabilities.strings("drop")) {
                options.add("--cap-drop=" + drop);
            }
            for (String add : capabilities.strings("add")) {
                options.add("--cap-add=" + add);
            }
            capabilities.done();
            Fields containerSeccomp = container.fields("seccompProfile");
            Fields podSeccomp = podLevel.fields("seccompProfile");
            Fields seccomp = containerSeccomp.isEmpty() ? podSeccomp : containerSeccomp;
            if (seccomp != podSeccomp) {
                podSeccomp.takeAll(); // overridden by the container's
            }
            Object type = seccomp.take("type");
            if (type == null || "Unconfined".equals(type)) {
                // Without a profile a pod runs unconfined (the kubelet's default unless SeccompDefault is on).
                options.add("--security-opt=seccomp=unconfined");
            } else if (!"RuntimeDefault".equals(type)) {
                throw new AssertionError("seccompProfile type " + type + ": teach PodmanRunFromPodSpec to map it");
            } // RuntimeDefault: podman's default profile, which it applies unless told otherwise
            seccomp.done();
            podLevel.done();
            container.done();
        }

        private Map<String, String> env(List<Fields> env) {
            Map<String, String> environment = new java.util.LinkedHashMap<>();
            for (Fields e : env) {
                String name = (String) e.take("name");
                Object value = e.take("value");
                Fields from = e.fields("valueFrom");
                if (value == null && from.has("fieldRef")) {
                    Fields ref = from.fields("fieldRef");
                    ref.take("apiVersion");
                    String path = (String) ref.take("fieldPath");
                    value = switch (path) {
                        case "spec.nodeName" -> downward.nodeName();
                        case "metadata.name" -> downward.podName();
                        case "metadata.namespace" -> downward.namespace();
                        default -> throw new AssertionError("env " + name + " from field " + path + ": teach PodmanRunFromPodSpec to map it");
                    };
                    ref.done();
                }
                from.done();
                e.done();
                if (value == null) {
                    throw new AssertionError("env " + name + " has no value");
                }
                options.add("--env=" + name + "=" + value);
                environment.put(name, value.toString());
            }
            return environment;
        }

        private void resources(Fields resources) {
            Fields limits = resources.fields("limits");
            Object memory = limits.take("memory");
            if (memory != null) {
                long bytes = Quantity.getAmountInBytes(new Quantity(memory.toString())).longValueExact();
                options.add("--memory=" + bytes);
                options.add("--memory-swap=" + bytes); // the kubelet gives no swap on top of the limit
            }
            Object cpu = limits.take("cpu");
            if (cpu != null) {
                options.add("--cpus=" + Quantity.getAmountInBytes(new Quantity(cpu.toString())).toPlainString());
            }
            limits.done();
            Fields requests = resources.fields("requests");
            Object cpuRequest = requests.take("cpu");
            if (cpuRequest != null) {
                // cgroup v1: the kubelet turns the CPU request into cpu.shares (1024 per core, at least 2).
                BigDecimal cores = Quantity.getAmountInBytes(new Quantity(cpuRequest.toString()));
                options.add("--cpu-shares=" + Math.max(2, cores.multiply(BigDecimal.valueOf(1024)).longValue()));
            }
            if (requests.take("memory") != null) {
                notRun.add("resources.requests.memory: scheduling only on cgroup v1");
            }
            requests.done();
            resources.done();
        }

        private void volumes(List<Fields> volumes, List<Fields> mounts) {
            Map<String, Fields> byName = new LinkedHashMap<>();
            for (Fields v : volumes) {
                byName.put((String) v.take("name"), v);
            }
            Set<String> mounted = new LinkedHashSet<>();
            for (Fields m : mounts) {
                String name = (String) m.take("name");
                String mountPath = (String) m.take("mountPath");
                boolean readOnly = Boolean.TRUE.equals(m.take("readOnly"));
                Object recursive = m.take("recursiveReadOnly");
                Object propagation = m.take("mountPropagation");
                if (propagation != null && !"None".equals(propagation)) {
                    throw new AssertionError("volumeMount " + name + ": mountPropagation " + propagation + ": teach PodmanRunFromPodSpec to map it");
                }
                boolean recursively = switch (recursive == null ? "Disabled" : recursive.toString()) {
                    case "Disabled" -> false;
                    case "IfPossible", "Enabled" -> {
                        if (!readOnly) {
                            throw new AssertionError("volumeMount " + name + ": recursiveReadOnly " + recursive + " needs readOnly: true");
                        }
                        yield true;
                    }
                    default -> throw new AssertionError("volumeMount " + name + ": recursiveReadOnly " + recursive + " is not a value Kubernetes knows");
                };
                m.done();
                Fields v = byName.get(name);
                if (v == null) {
                    throw new AssertionError("volumeMount " + name + " names no volume of the pod");
                }
                mounted.add(name);
                if (v.has("hostPath")) {
                    hostPath(v.fields("hostPath"), mountPath, readOnly, recursively);
                } else if (v.has("emptyDir")) {
                    emptyDir(v.fields("emptyDir"), mountPath, readOnly);
                }
                v.done();
            }
            byName.forEach((name, v) -> {
                if (!mounted.contains(name)) {
                    v.takeAll();
                    notRun.add("volume " + name + ": not mounted in this container");
                }
            });
        }

        private void hostPath(Fields hostPath, String mountPath, boolean readOnly, boolean recursively) {
            Path host = Path.of((String) hostPath.take("path"));
            Object type = hostPath.take("type");
            hostPath.done();
            switch (type == null ? "" : type.toString()) {
                case "" -> { }
                case "Directory" -> {
                    if (!Files.isDirectory(host)) {
                        throw new AssertionError("hostPath " + host + " (type Directory) is not a directory on this host");
                    }
                }
                case "DirectoryOrCreate" -> {
                    if (!Files.exists(host)) {
                        try {
                            Files.createDirectories(host);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        made.add(host);
                    }
                }
                default -> throw new AssertionError("hostPath " + host + " of type " + type + ": teach PodmanRunFromPodSpec to map it");
            }
            String ro = readOnly ? ":ro" : "";
            options.add("--volume=" + host + ":" + mountPath + ro);
            if (recursively) {
                for (Path below : HostMounts.below(host)) {
                    options.add("--volume=" + below + ":" + mountPath + "/" + host.relativize(below) + ":ro");
                }
            }
        }

        private void emptyDir(Fields emptyDir, String mountPath, boolean readOnly) {
            Object medium = emptyDir.take("medium");
            Object sizeLimit = emptyDir.take("sizeLimit");
            emptyDir.done();
            if ("Memory".equals(medium)) {
                options.add("--tmpfs=" + mountPath + ":" + (readOnly ? "ro" : "rw")
                        + (sizeLimit == null ? "" : ",size=" + Quantity.getAmountInBytes(new Quantity(sizeLimit.toString())).longValueExact()));
                return;
            }
            if (medium != null && !medium.toString().isEmpty()) {
                throw new AssertionError("emptyDir medium " + medium + ": teach PodmanRunFromPodSpec to map it");
            }
            try {
                Path dir = Files.createTempDirectory(scratch, "empty-dir");
                made.add(dir);
                options.add("--volume=" + dir + ":" + mountPath + (readOnly ? ":ro" : ""));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Object first(Object a, Object b) {
            return a != null ? a : b;
        }
    }

    /** The mount points of this host's mount namespace strictly below a directory. */
    static final class HostMounts {
        private HostMounts() {}

        static List<Path> below(Path dir) {
            try {
                // mountinfo: id parent major:minor root mount-point ...; spaces in a path are \040.
                return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4].replace("\\040", " "))
                        .map(Path::of).filter(p -> p.startsWith(dir) && !p.equals(dir)).distinct().sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * An object of the spec, whose fields are taken as they are mapped; {@link #done} fails on any
     * left (a field nobody mapped). A missing object is an empty one.
     */
    private static final class Fields {
        private final String path;
        private final Map<String, Object> fields;

        Fields(String path, Map<String, Object> fields) {
            this.path = path;
            this.fields = fields == null ? new LinkedHashMap<>() : new LinkedHashMap<>(fields);
            // Serialisation leaves empty lists and objects of the model behind: they set nothing.
            this.fields.values().removeIf(v -> v == null || v instanceof List<?> l && l.isEmpty() || v instanceof Map<?, ?> m && m.isEmpty()
                    && !path.endsWith("volumes[]"));
        }

        String where(String field) {
            return path + "." + field;
        }

        boolean has(String field) {
            return fields.containsKey(field);
        }

        Object peek(String field) {
            return fields.get(field);
        }

        Object take(String field) {
            return fields.remove(field);
        }

        void takeAll() {
            fields.clear();
        }

        boolean isEmpty() {
            return fields.isEmpty();
        }

        /** The object {@code field}, taken: its own fields are to be taken in their turn. */
        @SuppressWarnings("unchecked")
        Fields fields(String field) {
            Object value = fields.remove(field);
            if (value != null && !(value instanceof Map)) {
                throw new AssertionError(where(field) + " is not an object: " + value);
            }
            return new Fields(where(field), (Map<String, Object>) value);
        }

        @SuppressWarnings("unchecked")
        List<Fields> list(String field) {
            Object value = take(field);
            List<Fields> out = new ArrayList<>();
            if (value != null) {
                for (Object item : (List<Object>) value) {
                    out.add(new Fields(where(field) + "[]", (Map<String, Object>) item));
                }
            }
            return out;
        }

        @SuppressWarnings("unchecked")
        List<String> strings(String field) {
            Object value = take(field);
            return value == null ? List.of() : ((List<Object>) value).stream().map(String::valueOf).toList();
        }

        void done() {
            if (!fields.isEmpty()) {
                throw new AssertionError("PodmanRunFromPodSpec does not know how to map " + path + "." + fields.keySet()
                        + " (" + fields + "): teach it, or name it as having no effect on a container's run, rather than leave it out");
            }
        }
    }
}
