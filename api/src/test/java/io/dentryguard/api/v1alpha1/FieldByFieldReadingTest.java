package io.dentryguard.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** A NodeHealth with fields this version cannot read is read as far as it can be, naming the rest (as the client's informers read it). */
class FieldByFieldReadingTest {
    private static NodeHealth read(String spec, String status) {
        return Serialization.unmarshal("""
                {"apiVersion":"dentryguard.io/v1alpha1","kind":"NodeHealth","metadata":{"name":"n1"},
                 "spec":%s,"status":%s}""".formatted(spec, status), NodeHealth.class);
    }

    @Test
    void aWholeReportReadsWithNothingNamed() {
        NodeHealth nh = read("{\"paused\":true}", "{\"verdict\":\"Degraded\",\"chainLength\":4.8,\"verdictSince\":\"2026-11-30T05:00:00Z\"}");
        assertThat(nh.unreadableFields()).isEmpty();
        assertThat(nh.getSpec().isPaused()).isTrue();
        assertThat(nh.getStatus().getVerdict()).isEqualTo(Verdict.DEGRADED);
        assertThat(nh.getStatus().getVerdictSince()).isEqualTo("2026-11-30T05:00:00Z");
    }

    @Test
    void anUnknownVerdictIsNamedWithItsValueAndTheRestStillReads() {
        NodeHealth nh = read("{}", "{\"verdict\":\"Exploded\",\"chainLength\":4.8,\"lastReportTime\":\"2026-11-30T05:00:00Z\"}");
        assertThat(nh.unreadableFields()).containsExactly("status.verdict \"Exploded\" is not one of Healthy, Warning, Degraded, Critical, Unknown");
        assertThat(nh.getStatus().getVerdict()).isNull();
        assertThat(nh.getStatus().getChainLength()).isEqualTo(4.8);
        assertThat(nh.getStatus().getLastReportTime()).isEqualTo("2026-11-30T05:00:00Z");
    }

    @Test
    void anOffendersConfidenceAndFieldsOfTheWrongTypeAreEachNamed() {
        NodeHealth nh = read("{\"paused\":\"perhaps\"}", """
                {"verdict":"Critical","offenders":[{"cgroup":"/a","confidence":"High"},{"cgroup":"/b","confidence":"Extreme"}],
                 "chainLength":"long","tainted":{"x":1},"reasons":["average hash chain 4.800"]}""");
        assertThat(nh.unreadableFields()).containsExactlyInAnyOrder(
                "spec.paused \"perhaps\" is not true or false",
                "status.offenders[1].confidence \"Extreme\" is not one of High, Medium, Low",
                "status.chainLength \"long\" is not a number",
                "status.tainted {\"x\":1} is not true or false");
        assertThat(nh.getSpec().isPaused()).isFalse();
        assertThat(nh.getStatus().getVerdict()).isEqualTo(Verdict.CRITICAL);
        assertThat(nh.getStatus().getReasons()).containsExactly("average hash chain 4.800");
        assertThat(nh.getStatus().getOffenders()).as("the list with a bad element is left out whole").isEmpty();
        assertThat(nh.getStatus().getChainLength()).isNull();
    }

    @Test
    void aStatusThatIsNoObjectIsNamedAndMarkedForReplacement() {
        NodeHealth nh = read("{}", "\"broken\"");
        assertThat(nh.unreadableFields()).containsExactly("status \"broken\" is not an object");
        assertThat(nh.getStatus().getVerdict()).isNull();
        assertThat(nh.getStatus().notAnObject()).isTrue();
        assertThat(read("{}", "{\"verdict\":\"Exploded\"}").getStatus().notAnObject()).isFalse();
    }

    @Test
    void aLongBadValueIsQuotedOnlyInPart() {
        String huge = "x".repeat(5000);
        NodeHealth nh = read("{}", "{\"verdict\":\"" + huge + "\"}");
        assertThat(nh.unreadableFields()).singleElement().asString().startsWith("status.verdict \"xxx").hasSizeLessThan(400)
                .contains("... (5002 characters) is not one of Healthy");
    }

    @Test
    void fieldsOfANewerVersionAreIgnoredNotNamed() {
        NodeHealth nh = read("{\"reclaim\":{\"id\":\"r1\"}}", "{\"verdict\":\"Healthy\",\"reclaimOutcome\":{\"freedBytes\":1},"
                + "\"offenders\":[{\"cgroup\":\"/a\",\"confidence\":\"High\",\"reclaimable\":true}],"
                + "\"baseline\":{\"kernel\":\"6.18\",\"learnedFrom\":\"canary-v2\"}}");
        assertThat(nh.unreadableFields()).as("nested ones too: an older operator must still act on a newer probe's report").isEmpty();
        assertThat(nh.getStatus().getVerdict()).isEqualTo(Verdict.HEALTHY);
        assertThat(nh.getStatus().getOffenders()).singleElement().satisfies(o -> assertThat(o.getCgroup()).isEqualTo("/a"));
        assertThat(nh.getStatus().getBaseline().getKernel()).isEqualTo("6.18");
    }

    @Test
    void whatDoesNotReadIsNotWrittenBack() {
        NodeHealth nh = read("{}", "{\"verdict\":\"Exploded\"}");
        assertThat(Serialization.asJson(nh)).doesNotContain("unreadable").doesNotContain("Exploded");
    }
}
