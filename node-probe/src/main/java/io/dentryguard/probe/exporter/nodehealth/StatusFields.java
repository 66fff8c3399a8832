package io.dentryguard.probe.exporter.nodehealth;

import io.dentryguard.api.v1alpha1.ReclaimOutcome;
import io.dentryguard.probe.actuator.reclaim.ReclaimCapabilities;

import io.dentryguard.api.v1alpha1.BaselineStatus;
import io.dentryguard.api.v1alpha1.OffenderStatus;
import io.dentryguard.probe.exporter.ProbeReport;
import io.dentryguard.probe.numbers.HumanReadable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The NodeHealth status fields the probe owns, from one report. A null figure is written as null (unknown, not 0). */
public final class StatusFields {
    private StatusFields() {}

    /**
     * @param podNames namespace/name by pod UID, for the pods this probe could look up
     */
    public static Map<String, Object> of(ProbeReport r, String verdictSince, Optional<BaselineStatus> baseline,
                                         Map<String, String> podNames, String probeVersion) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("verdict", r.verdict());
        f.put("verdictSince", verdictSince);
        f.put("reasons", r.reasons());
        f.put("totalDentries", r.dentries().total());
        f.put("negativeDentries", r.dentries().negative());
        f.put("dentrySlabBytes", r.slab().dentryBytes());
        f.put("hashBuckets", r.hashBuckets());
        f.put("chainLength", HumanReadable.round(r.chainLength(), 3));
        f.put("lookupRatio", HumanReadable.round(r.lookup().ratio(), 2));
        List<OffenderStatus> offenders = new ArrayList<>();
        for (ProbeReport.OffenderEntry o : r.offenders()) {
            offenders.add(offender(o, podNames));
        }
        f.put("topOffender", offenders.stream()
                .filter(o -> o.getConfidence() != OffenderStatus.Confidence.LOW)
                .findFirst().map(StatusFields::label).orElse(null));
        f.put("offenders", offenders);
        f.put("baseline", baseline.orElse(null));
        f.put("lastReportTime", r.timestamp());
        f.put("probeVersion", probeVersion);
        f.put("kernel", r.kernel());
        return f;
    }

    /** The reclaim scopes this probe can perform and why not the others: written with every report. */
    public static void addReclaimCapabilities(Map<String, Object> fields, ReclaimCapabilities capabilities) {
        fields.put("reclaimScopes", capabilities.scopes());
        fields.put("reclaimLimits", capabilities.limits());
    }

    /** The answer to a reclaim request, the one field the reclaim worker writes. */
    public static Map<String, Object> reclaimOutcome(ReclaimOutcome outcome) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("reclaimOutcome", outcome);
        return f;
    }

    private static OffenderStatus offender(ProbeReport.OffenderEntry o, Map<String, String> podNames) {
        OffenderStatus s = new OffenderStatus();
        s.setCgroup(o.cgroup());
        s.setKind(o.kind());
        s.setPodUid(o.podUid());
        String name = o.podUid() == null ? null : podNames.get(o.podUid());
        if (name != null) {
            s.setPodNamespace(name.substring(0, name.indexOf('/')));
            s.setPodName(name.substring(name.indexOf('/') + 1));
        }
        s.setContainerId(o.containerId());
        s.setKernelMemoryBytes(o.kernelMemoryBytes());
        s.setGrowthBytesPerSecond(o.growthBytesPerSecond());
        s.setShare(o.share());
        s.setConfidence(o.confidence());
        s.setReason(o.reason());
        return s;
    }

    /** The pod as namespace/name when known, else by UID, else the cgroup. */
    static String label(OffenderStatus o) {
        if (o.getPodName() != null) {
            return o.getPodNamespace() + "/" + o.getPodName();
        }
        return o.getPodUid() != null ? "pod " + o.getPodUid() : o.getCgroup();
    }
}
