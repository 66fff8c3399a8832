package io.dentryguard.demo.cluster;

/** Which API server the demo embeds. */
public enum ApiChoice {
    /** The real one where its binaries are built, else the mock. */
    AUTO,
    /** fabric8's mock server in CRUD mode, in this process. */
    MOCK,
    /** kube-apiserver and etcd, built by tools/kube-binaries/build.sh; fails where they are not. */
    REAL
}
