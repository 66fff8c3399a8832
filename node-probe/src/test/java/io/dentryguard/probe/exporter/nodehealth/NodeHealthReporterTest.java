package io.dentryguard.probe.exporter.nodehealth;

import static io.dentryguard.probe.exporter.nodehealth.Reports.offender;
import static io.dentryguard.probe.exporter.nodehealth.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dentryguard.api.testing.ApiRequest;
import io.dentryguard.api.testing.MockApiServer;
import io.dentryguard.api.v1alpha1.NodeHealth;
import io.dentryguard.api.v1alpha1.NodeHealthStatus;
import io.dentryguard.api.v1alpha1.OffenderStatus;
import io.dentryguard.api.v1alpha1.OffenderStatus.Confidence;
import io.dentryguard.api.v1alpha1.Verdict;
import io.dentryguard.probe.baseline.NodeHealthBaseline;
import io.dentryguard.probe.detector.LookupBaseline;
import io.dentryguard.probe.exporter.ProbeReport;
import io.dentryguard.probe.exporter.nodehealth.NodeHealthReporter.Outcome;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeHealthReporterTest {
    static final Instant T = Instant.parse("2026-11-29T12:00:00Z");
    static final String STATUS = "/apis/dentryguard.io/v1alpha1/nodehealths/node-a/status";
    static final String COLLECTION = "/apis/dentryguard.io/v1alpha1/nodehealths";

    private final MockApiServer api = new MockApiServer();
    /** Random 0.5: heartbeats come at 95% of the period, backoffs 10% over their base. */
    /** A baseline as a probe learns it: an hour ago, updated 30 s ago, on 6.18.44. */
    private static final LookupBaseline LEARNED = new LookupBaseline(List.of(8.0, 8.5, 9.0), List.of(700.0, 750.0, 800.0),
            T.minusSeconds(3600), T.minusSeconds(30), "6.18.44");
    /** The baseline kept in the status, as the probe's loop hands it over. */
    private final NodeHealthBaseline kept = new NodeHealthBaseline(new NodeHealthClient(api.client, "node-a"));
    private final NodeHealthReporter reporter = reporter(kept);

    @AfterEach
    void close() {
        api.close();
    }

    private NodeHealthReporter reporter(NodeHealthBaseline baseline) {
        return new NodeHealthReporter(new NodeHealthClient(api.client, "node-a"), ReportGate.defaults(), Duration.ofMinutes(5), () -> 0.5,
                "test", baseline);
    }

    /** One sample's report at {@code at}, offered at {@code at}. */
    private Outcome offer(Instant at, Verdict verdict, long negative, double chain, double ratio, ProbeReport.OffenderEntry... offenders) {
        return reporter.offer(report(at, verdict, negative, chain, ratio, offenders), at);
    }

    private NodeHealth stored() {
        return api.client.resources(NodeHealth.class).withName("node-a").get();
    }

    @Test
    void createsItsNodeHealthOwnedByTheNodeAndWritesTheReport() {
        api.node("node-a");
        String nodeUid = api.client.nodes().withName("node-a").get().getMetadata().getUid();

        assertThat(offer(T, Verdict.DEGRADED, 20_000_000, 4.8, 3.1, offender("uid-1", Confidence.HIGH)))
                .isEqualTo(Outcome.WRITTEN);

        NodeHealth nh = stored();
        assertThat(nh.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("Node");
            assertThat(o.getName()).isEqualTo("node-a");
            assertThat(o.getUid()).isEqualTo(nodeUid);
        });
        NodeHealthStatus s = nh.getStatus();
        assertThat(s.getVerdict()).isEqualTo(Verdict.DEGRADED);
        assertThat(s.getNegativeDentries()).isEqualTo(20_000_000L);
        assertThat(s.getChainLength()).isEqualTo(4.8);
        assertThat(s.getLookupRatio()).isEqualTo(3.1);
        assertThat(s.getHashBuckets()).isEqualTo(4_194_304L);
        assertThat(s.getLastReportTime()).isEqualTo(T.toString());
        assertThat(s.getTopOffender()).isEqualTo("pod uid-1");
        assertThat(s.getOffenders()).singleElement().satisfies(o -> assertThat(o.getConfidence()).isEqualTo(OffenderStatus.Confidence.HIGH));
    }

    @Test
    void numbersForPeopleAreRoundedWhereTheyAreWritten() {
        api.node("node-a");
        // kubectl get nh shows these as they are stored: chain length to 3 decimals, slowdown to 2.
        offer(T, Verdict.HEALTHY, 1_000_000, 0.4876543219, 0.031185388565063477);
        assertThat(stored().getStatus().getChainLength()).isEqualTo(0.488);
        assertThat(stored().getStatus().getLookupRatio()).isEqualTo(0.03);

        offer(T.plusSeconds(5), Verdict.CRITICAL, 40_000_000, 9.6666666, 2.996);
        assertThat(stored().getStatus().getChainLength()).isEqualTo(9.667);
        assertThat(stored().getStatus().getLookupRatio()).isEqualTo(3.0);
        assertThat(api.requests).filteredOn(r -> r.path().equals(STATUS)).extracting(ApiRequest::body)
                .as("the create (merge patch), then the update (JSON patch)").satisfiesExactly(
                        create -> assertThat(create).contains("\"chainLength\":0.488,", "\"lookupRatio\":0.03,"),
                        update -> assertThat(update).contains("\"/status/chainLength\",\"value\":9.667}",
                                "\"/status/lookupRatio\",\"value\":3.0}"));
    }

    @Test
    void inASteadyStateItWritesOncePerHeartbeatNotOncePerSample() {
        api.node("node-a");
        int written = 0;
        // Ten minutes of samples every 5 s with the same figures.
        for (int i = 0; i < 120; i++) {
            Instant now = T.plusSeconds(5L * i);
            if (offer(now, Verdict.HEALTHY, 1_000_000, 0.5, 1.0) == Outcome.WRITTEN) {
                written++;
            }
        }
        // At 0 s, then each 285 s (5 min less 5% jitter): 285 s and 570 s.
        assertThat(written).isEqualTo(3);
        assertThat(api.count("PATCH", STATUS)).isEqualTo(3);
        assertThat(api.count("POST", COLLECTION)).isEqualTo(1);
        assertThat(api.count("GET", "/apis/dentryguard.io/v1alpha1/nodehealths/node-a"))
                .as("read once, before creating it; not before every write").isEqualTo(1);
        assertThat(api.requests).noneMatch(r -> r.method().equals("PUT"));

        Instant later = T.plusSeconds(600);
        assertThat(offer(later, Verdict.WARNING, 1_000_000, 0.5, 1.0)).isEqualTo(Outcome.WRITTEN);
        assertThat(stored().getStatus().getVerdict()).isEqualTo(Verdict.WARNING);
    }

    @Test
    void patchesItsOwnFieldsAndLeavesTheOperatorsAlone() {
        api.node("node-a");
        offer(T, Verdict.DEGRADED, 20_000_000, 4.8, 3.1);
        // The operator records what it did in the same status.
        api.client.resources(NodeHealth.class).withName("node-a").subresource("status").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"add\",\"path\":\"/status/tainted\",\"value\":true},"
                        + "{\"op\":\"add\",\"path\":\"/status/intendedActions\",\"value\":[\"add taint\"]}]");

        Instant later = T.plusSeconds(5);
        assertThat(offer(later, Verdict.CRITICAL, 40_000_000, 9.6, 6.0)).isEqualTo(Outcome.WRITTEN);

        NodeHealthStatus s = stored().getStatus();
        assertThat(s.getVerdict()).isEqualTo(Verdict.CRITICAL);
        assertThat(s.getTainted()).isTrue();
        assertThat(s.getIntendedActions()).containsExactly("add taint");
        assertThat(s.getReasons()).as("lists are replaced, not appended to").containsExactly("average hash chain 9.6");
        ApiRequest last = api.requests.stream().filter(r -> r.path().equals(STATUS)).reduce((a, b) -> b).orElseThrow();
        assertThat(last.method()).isEqualTo("PATCH");
        assertThat(last.contentType()).startsWith("application/json-patch+json");
        assertThat(last.body()).doesNotContain("tainted", "intendedActions", "conditions");
    }

    @Test
    void theStatusWriteCarriesTheBaselineAndARestartedProbeResumesIt() {
        api.node("node-a");
        assertThat(kept.load("6.18.44")).as("no status yet").isEmpty();
        int requests = api.requests.size();
        kept.save(LEARNED);
        assertThat(api.requests).as("saving the baseline costs no request of its own").hasSize(requests);
        offer(T, Verdict.HEALTHY, 1_000_000, 0.5, 1.0);

        assertThat(keptAfterARestart().load("6.18.44")).contains(LEARNED);
        assertThat(keptAfterARestart().load("6.19.1")).as("learned on another kernel").isEmpty();
    }

    @Test
    void survivesAnApiServerThatAnswers500ThenBacksOffAndCatchesUp() {
        api.node("node-a");
        offer(T, Verdict.HEALTHY, 1_000_000, 0.5, 1.0);
        api.server.expect().patch().withPath(STATUS).andReturn(500, "etcdserver: request timed out").times(2);

        Instant t1 = T.plusSeconds(5);
        assertThat(offer(t1, Verdict.CRITICAL, 40_000_000, 9.6, 6.0)).isEqualTo(Outcome.FAILED);
        assertThat(offer(t1.plusSeconds(1), Verdict.CRITICAL, 40_000_000, 9.6, 6.0))
                .as("within the first backoff of 1.1 s").isEqualTo(Outcome.BACKING_OFF);
        Instant t2 = t1.plusMillis(1_100);
        assertThat(offer(t2, Verdict.CRITICAL, 40_000_000, 9.6, 6.0)).isEqualTo(Outcome.FAILED);
        assertThat(offer(t2.plusSeconds(2), Verdict.CRITICAL, 40_000_000, 9.6, 6.0))
                .as("within the second backoff of 2.2 s").isEqualTo(Outcome.BACKING_OFF);
        Instant t3 = t2.plusMillis(2_200);
        assertThat(offer(t3, Verdict.CRITICAL, 40_000_000, 9.6, 6.0)).isEqualTo(Outcome.WRITTEN);
        assertThat(stored().getStatus().getVerdict()).isEqualTo(Verdict.CRITICAL);
    }

    @Test
    void survives409sOnCreateAndOnPatch() {
        api.node("node-a");
        api.server.expect().post().withPath(COLLECTION).andReturn(409, "{\"kind\":\"Status\",\"code\":409,\"reason\":\"AlreadyExists\"}")
                .once();
        assertThat(offer(T, Verdict.HEALTHY, 1_000_000, 0.5, 1.0))
                .as("409 on create, and then no object to read").isEqualTo(Outcome.FAILED);
        Instant t1 = T.plusSeconds(5);
        assertThat(offer(t1, Verdict.HEALTHY, 1_000_000, 0.5, 1.0)).isEqualTo(Outcome.WRITTEN);

        api.server.expect().patch().withPath(STATUS).andReturn(409, "{\"kind\":\"Status\",\"code\":409,\"reason\":\"Conflict\"}").once();
        Instant t2 = t1.plusSeconds(5);
        assertThat(offer(t2, Verdict.WARNING, 1_000_000, 0.5, 1.0)).isEqualTo(Outcome.FAILED);
        Instant t3 = t2.plusSeconds(5);
        assertThat(offer(t3, Verdict.WARNING, 1_000_000, 0.5, 1.0)).isEqualTo(Outcome.WRITTEN);
        assertThat(stored().getStatus().getVerdict()).isEqualTo(Verdict.WARNING);
    }

    @Test
    void aMissingNodeIsReportedAndNothingIsCreated() {
        assertThat(offer(T, Verdict.HEALTHY, 1_000_000, 0.5, 1.0)).isEqualTo(Outcome.FAILED);
        assertThat(stored()).isNull();
    }

    @Test
    void offendersAreNamedByNamespaceAndPodWhereTheProbeCanLookThemUp() {
        api.node("node-a");
        // The mock's CRUD store ignores a field selector on spec.nodeName and knows no metadata-only lists: answer the
        // probe's query as the API server would.
        api.server.expect().get().withPath("/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a")
                .andReturn(200, """
                        {"kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": "812"},
                         "items": [{"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                                    "metadata": {"name": "flooder-7d9", "namespace": "batch", "uid": "uid-1"}}]}""")
                .once();
        offer(T, Verdict.DEGRADED, 20_000_000, 4.8, 3.1, offender("uid-1", Confidence.HIGH), offender("uid-2", Confidence.LOW));
        assertThat(stored().getStatus().getTopOffender()).isEqualTo("batch/flooder-7d9");
        assertThat(stored().getStatus().getOffenders()).extracting(OffenderStatus::getPodName).containsExactly("flooder-7d9", null);
        assertThat(api.requests).filteredOn(r -> r.path().startsWith("/api/v1/pods")).singleElement()
                .extracting(ApiRequest::accept).asString().as("metadata only, whole pods where a server cannot")
                .startsWith("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1").endsWith(", application/json");

        Instant t1 = T.plusSeconds(30);
        offer(t1, Verdict.CRITICAL, 40_000_000, 9.6, 6.0, offender("uid-1", Confidence.HIGH), offender("uid-2", Confidence.LOW));
        assertThat(api.requests).as("an unknown pod is looked up again at most once a minute")
                .filteredOn(r -> r.path().startsWith("/api/v1/pods")).hasSize(1);
    }

    @Test
    void theSinkWritesFromItsOwnThread() throws Exception {
        api.node("node-a");
        try (NodeHealthSink sink = new NodeHealthSink(reporter, Clock.fixed(T, ZoneOffset.UTC))) {
            sink.publish(report(T, Verdict.WARNING, 1_000_000, 0.5, 1.0));
            await().atMost(Duration.ofSeconds(10)).until(() -> stored() != null && stored().getStatus() != null);
            assertThat(stored().getStatus().getVerdict()).isEqualTo(Verdict.WARNING);
        }
    }

    private NodeHealthReporter restarted() {
        return reporter(keptAfterARestart());
    }

    private NodeHealthBaseline keptAfterARestart() {
        return new NodeHealthBaseline(new NodeHealthClient(api.client, "node-a"));
    }

    @Test
    void saysSinceWhenTheVerdictHasHeldAndKeepsItAcrossARestart() {
        api.node("node-a");
        offer(T, Verdict.DEGRADED, 20_000_000, 4.8, 3.1);
        assertThat(stored().getStatus().getVerdictSince()).isEqualTo(T.toString());
        assertThat(offer(T.plusSeconds(5), Verdict.HEALTHY, 1_000_000, 0.5, 1.0)).isEqualTo(Outcome.WRITTEN);
        offer(T.plusSeconds(10), Verdict.HEALTHY, 1_000_000, 0.5, 1.0);
        assertThat(stored().getStatus().getVerdictSince()).isEqualTo(T.plusSeconds(5).toString());

        NodeHealthReporter again = restarted();
        again.offer(report(T.plusSeconds(60), Verdict.HEALTHY, 1_000_000, 0.5, 1.0), T.plusSeconds(60));
        assertThat(stored().getStatus().getLastReportTime()).isEqualTo(T.plusSeconds(60).toString());
        assertThat(stored().getStatus().getVerdictSince()).as("a probe restart is no new verdict").isEqualTo(T.plusSeconds(5).toString());

        NodeHealthReporter otherVerdict = restarted();
        otherVerdict.offer(report(T.plusSeconds(90), Verdict.WARNING, 1_000_000, 0.9, 1.5), T.plusSeconds(90));
        assertThat(stored().getStatus().getVerdictSince()).isEqualTo(T.plusSeconds(90).toString());
    }

    @Test
    void aVerdictChangeDuringABackoffIsDatedByItsOwnSample() {
        api.node("node-a");
        offer(T, Verdict.HEALTHY, 1_000_000, 0.5, 1.0);
        api.server.expect().patch().withPath(STATUS).andReturn(500, "boom").once();
        assertThat(offer(T.plusSeconds(5), Verdict.DEGRADED, 20_000_000, 4.8, 3.1)).isEqualTo(Outcome.FAILED);
        assertThat(offer(T.plusSeconds(6), Verdict.DEGRADED, 20_000_000, 4.8, 3.1)).isEqualTo(Outcome.BACKING_OFF);
        assertThat(offer(T.plusSeconds(10), Verdict.DEGRADED, 20_000_000, 4.8, 3.1)).isEqualTo(Outcome.WRITTEN);
        assertThat(stored().getStatus().getVerdictSince()).isEqualTo(T.plusSeconds(5).toString());
    }

    @Test
    void aStatusThisProbeCannotReadIsReplacedNotFatal() {
        api.node("node-a");
        kept.save(LEARNED);
        offer(T, Verdict.HEALTHY, 1_000_000, 0.5, 1.0);
        // As a newer probe or an edited CRD might leave it.
        api.client.resources(NodeHealth.class).withName("node-a").subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\":{\"verdict\":\"Exploded\",\"offenders\":[{\"cgroup\":\"/x\",\"confidence\":\"Extreme\"}]}}");
        assertThat(stored().unreadableFields()).hasSize(2);

        NodeHealthBaseline keptAgain = keptAfterARestart();
        assertThat(keptAgain.load("6.18.44")).contains(LEARNED);
        keptAgain.save(LEARNED);
        assertThat(reporter(keptAgain).offer(report(T.plusSeconds(30), Verdict.HEALTHY, 1_000_000, 0.5, 1.0), T.plusSeconds(30)))
                .isEqualTo(Outcome.WRITTEN);
        assertThat(stored().unreadableFields()).isEmpty();
        assertThat(stored().getStatus().getVerdict()).isEqualTo(Verdict.HEALTHY);
        assertThat(stored().getStatus().getBaseline().getRelativeCosts()).isEqualTo(LEARNED.relativeCosts());
    }

    @Test
    void aStatusThatIsNoObjectIsReplacedWhole() {
        api.node("node-a");
        offer(T, Verdict.HEALTHY, 1_000_000, 0.5, 1.0);
        api.client.resources(NodeHealth.class).withName("node-a").subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\":\"broken\"}");
        assertThat(stored().getStatus().notAnObject()).isTrue();

        assertThat(reporter(keptAfterARestart()).offer(report(T.plusSeconds(30), Verdict.DEGRADED, 20_000_000, 4.8, 3.1),
                T.plusSeconds(30))).isEqualTo(Outcome.WRITTEN);
        assertThat(stored().getStatus().notAnObject()).isFalse();
        assertThat(stored().getStatus().getVerdict()).isEqualTo(Verdict.DEGRADED);
    }
}
