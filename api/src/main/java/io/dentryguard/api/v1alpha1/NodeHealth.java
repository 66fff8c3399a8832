package io.dentryguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The dentry-cache health of one node, named after the node and owned by it. The probe on the node
 * writes the status; the operator reads it and writes back what it did. Cluster-scoped.
 *
 * <p>The printer columns answer the on-call engineer's questions at a glance, in the order asked:
 * how bad, how long the hash chains, how much slower lookups are, how many negative dentries, who
 * floods, whether the node is tainted, and how fresh the report is. {@code kubectl get} shows them in
 * the order declared here: the api build puts them back in this order after the crd-generator
 * sorted them by JSON path (src/build/PrinterColumnOrder.java).
 */
@Group(NodeHealth.GROUP)
@Version(NodeHealth.VERSION)
@Kind("NodeHealth")
@Plural("nodehealths")
@Singular("nodehealth")
@ShortNames("nh")
@AdditionalPrinterColumn(name = "Verdict", jsonPath = ".status.verdict", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Chain", jsonPath = ".status.chainLength", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Slowdown", jsonPath = ".status.lookupRatio", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Negative", jsonPath = ".status.negativeDentries", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Top-Offender", jsonPath = ".status.topOffender", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Tainted", jsonPath = ".status.tainted", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Last-Report", jsonPath = ".status.lastReportTime", type = AdditionalPrinterColumn.Type.DATE)
public class NodeHealth extends CustomResource<NodeHealthSpec, NodeHealthStatus> {
    public static final String GROUP = "dentryguard.io";
    public static final String VERSION = "v1alpha1";

    @Override
    protected NodeHealthSpec initSpec() {
        return new NodeHealthSpec();
    }

    // Read field by field: one bad field must not fail the whole object (and stop the informer).
    @Override
    @JsonDeserialize(using = FieldByFieldDeserializer.Spec.class)
    public void setSpec(NodeHealthSpec spec) {
        super.setSpec(spec);
    }

    @Override
    @JsonDeserialize(using = FieldByFieldDeserializer.Status.class)
    public void setStatus(NodeHealthStatus status) {
        super.setStatus(status);
    }

    /** Every field of spec and status that could not be read, named with its value; empty when all read. */
    @JsonIgnore
    public java.util.List<String> unreadableFields() {
        java.util.List<String> all = new java.util.ArrayList<>();
        if (getSpec() != null) {
            all.addAll(getSpec().unreadableFields());
        }
        if (getStatus() != null) {
            all.addAll(getStatus().unreadableFields());
        }
        return all;
    }
}
