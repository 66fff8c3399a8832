package io.dentryguard.demo.story;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.dentryguard.api.v1alpha1.OffenderStatus;
import io.dentryguard.api.v1alpha1.ReclaimOutcome;
import io.dentryguard.api.v1alpha1.ReclaimRequest;
import io.dentryguard.api.v1alpha1.RemediationStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/** Reads a {@link StorySnapshot} from the API: the host's NodeHealth and Node, and the demo's pods. */
public final class StoryReader {
    /** The operator's taint (docs/operator.md). */
    public static final String TAINT_KEY = "dentryguard.io/dentry-pressure";

    private final KubernetesClient client;
    private final String node;
    private final String namespace;

    public StoryReader(KubernetesClient client, String node, String namespace) {
        this.client = client;
        this.node = node;
        this.namespace = namespace;
    }

    public StorySnapshot read() {
        NodeHealth nh = client.resources(NodeHealth.class).withName(node).get();
        NodeHealthStatus s = nh == null || nh.getStatus() == null ? new NodeHealthStatus() : nh.getStatus();
        Optional<Taint> taint = taint(client.nodes().withName(node).get());
        ReclaimRequest rq = nh == null || nh.getSpec() == null ? null : nh.getSpec().getReclaim();
        ReclaimOutcome o = s.getReclaimOutcome();
        RemediationStatus r = s.getRemediation();
        return new StorySnapshot(s.getVerdict() == null ? null : s.getVerdict().displayName(), s.getReasons(), s.getChainLength(),
                s.getNegativeDentries(), s.getDentrySlabBytes(), topOffender(s.getOffenders()), taint.isPresent(),
                taint.map(t -> t.getKey() + "=" + t.getValue() + ":" + t.getEffect()).orElse(null),
                rq == null ? null : new StorySnapshot.Request(rq.getId(), rq.getScope() == null ? null : rq.getScope().displayName(),
                        rq.getPodNamespace(), rq.getPodName(), rq.getPodUid()),
                o == null ? null : new StorySnapshot.Outcome(o.getId(), o.getResult() == null ? null : o.getResult().displayName(),
                        o.getFreedNegativeDentries(), o.getFreedBytes(), o.getDurationSeconds(), o.getMessage()),
                r == null ? null : new StorySnapshot.Remediation(r.getStep(), r.getMessage(), r.getEvictedAt(), r.getPod(), r.getEvictedWorkload(),
                        r.getNodeReclaimAt()),
                client.pods().inNamespace(namespace).list().getItems().stream().map(StoryReader::view).toList());
    }

    private static Optional<Taint> taint(Node n) {
        if (n == null || n.getSpec() == null || n.getSpec().getTaints() == null) {
            return Optional.empty();
        }
        return n.getSpec().getTaints().stream().filter(t -> TAINT_KEY.equals(t.getKey())).findFirst();
    }

    /** The first offender of Medium confidence or more, as the NodeHealth's topOffender names it. */
    private static StorySnapshot.Offender topOffender(List<OffenderStatus> offenders) {
        return offenders.stream().filter(o -> o.getConfidence() != null && o.getConfidence() != OffenderStatus.Confidence.LOW).findFirst()
                .map(o -> new StorySnapshot.Offender(o.getPodNamespace(), o.getPodName(), o.getPodUid(), o.getConfidence().displayName(), o.getShare(),
                        o.getReason()))
                .orElse(null);
    }

    private static StorySnapshot.PodView view(Pod p) {
        String owner = p.getMetadata().getOwnerReferences() == null ? null : p.getMetadata().getOwnerReferences().stream()
                .filter(o -> Boolean.TRUE.equals(o.getController())).map(OwnerReference::getName).findFirst().orElse(null);
        return new StorySnapshot.PodView(p.getMetadata().getName(), p.getMetadata().getUid(), owner, p.getSpec().getNodeName(),
                p.getStatus() == null ? null : p.getStatus().getPhase(), p.getMetadata().getDeletionTimestamp() != null);
    }
}
