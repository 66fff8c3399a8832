package io.dentryguard.demo.kubelet;

import io.dentryguard.api.testing.Podman;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.UUID;

/** Pods of the demo's shape: one container of the base image running a bash script, with no resources (BestEffort). */
final class TestPods {
    /** The victim's loop: a walk of the image's /usr/share/doc that lstat()s every entry, timed. */
    static final String VICTIM = "while :; do s=$(date +%s%N); du -s /usr/share/doc >/dev/null 2>&1; e=$(date +%s%N); "
            + "echo \"loop_us $(( (e-s)/1000 ))\"; done";
    /**
     * A small flood in a directory of the image (its lower layer): 600,000 missing names, about
     * 240 MB of dentries (overlayfs keeps two per name); then it stays, so that its cgroup keeps them.
     */
    static final String FLOODER = "for ((i=0; i<600000; i++)); do [ -e /usr/share/doc/missing-$i ]; done; echo flooded; sleep infinity";

    private TestPods() {}

    static PodBuilder bash(String name, String script) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid(UUID.randomUUID().toString()).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage(Podman.BASE_IMAGE).withCommand("bash", "-c")
                .withArgs(script).endContainer().endSpec();
    }

    static Pod onNode(String name, String node, String script) {
        PodBuilder b = bash(name, script);
        b.editMetadata().withUid(null).endMetadata().editSpec().withNodeName(node).endSpec();
        return b.build();
    }
}
